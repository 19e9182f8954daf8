#!/usr/bin/env python3
"""Markdown table for docs/PERFORMANCE.md from coinone_decode_bench or btse_decode_bench JSON output.

Usage: decode_table.py [--real] RUN.json [RUN.json ...]

Each RUN.json is one run of
  coinone_decode_bench --benchmark_repetitions=N --benchmark_report_aggregates_only=true \
      --benchmark_out=RUN.json --benchmark_out_format=json
The figure for a benchmark is the median, over the runs, of each run's median; the spread column
is (max - min) / median of the per-run medians of the mde benchmark, to show the machine's noise.
Times are the thread's CPU time by default: on a shared machine the wall-clock time also counts
the slices other jobs take from the pinned core. --real reports wall-clock time instead.
Targets are reported, never asserted.
"""
import json
import statistics
import sys

# ns per frame for the mde decoder, by frame name prefix.
TARGET_NS = {"trade": 100, "myorder": 200, "orderbook16": 700,  # Coinone
             "delta10": 400, "snapshot50": 2000}  # BTSE
TARGET_RAPIDJSON_RATIO = 3.0
TARGET_NLOHMANN_RATIO = 10.0
IMPLS = ("mde", "rapidjson", "nlohmann")


def load(paths, field):
    runs = {}  # (frame, impl) -> [median ns per run]
    sizes = {}
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        for b in doc["benchmarks"]:
            if b.get("aggregate_name") != "median":
                continue
            _, frame, impl = b["run_name"].split("/")
            scale = {"ns": 1.0, "us": 1e3, "ms": 1e6}[b["time_unit"]]
            runs.setdefault((frame, impl), []).append(b[field] * scale)
            sizes[frame] = int(b["frame_bytes"])
    return runs, sizes


def mark(ok):
    return "met" if ok else "**missed**"


def main(args):
    field = "real_time" if "--real" in args else "cpu_time"
    paths = [a for a in args if a != "--real"]
    runs, sizes = load(paths, field)
    frames = []
    for frame, _ in runs:
        if frame not in frames:
            frames.append(frame)
    print("| frame | format | bytes | mde ns | rapidjson ns | nlohmann ns | rapidjson/mde "
          "| nlohmann/mde | mde MB/s | mde spread | latency target |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    for frame in frames:
        kind, fmt = frame.rsplit("_", 1) if "_" in frame else (frame, "-")  # BTSE: one format
        ns = {impl: statistics.median(runs[(frame, impl)]) for impl in IMPLS}
        mde_runs = runs[(frame, "mde")]
        spread = (max(mde_runs) - min(mde_runs)) / ns["mde"] * 100
        r_ratio = ns["rapidjson"] / ns["mde"]
        n_ratio = ns["nlohmann"] / ns["mde"]
        mb_s = sizes[frame] / ns["mde"] * 1e3
        target = TARGET_NS.get(kind)
        target_text = f"<= {target} ns: {mark(ns['mde'] <= target)}" if target else "-"
        print(f"| {kind} | {fmt.upper()} | {sizes[frame]} | {ns['mde']:.0f} "
              f"| {ns['rapidjson']:.0f} | {ns['nlohmann']:.0f} "
              f"| {r_ratio:.2f}x ({mark(r_ratio >= TARGET_RAPIDJSON_RATIO)}) "
              f"| {n_ratio:.1f}x ({mark(n_ratio >= TARGET_NLOHMANN_RATIO)}) "
              f"| {mb_s:.0f} | {spread:.1f}% | {target_text} |")
    print(f"\nRuns: {len(paths)}; time: {field}; ratio targets: >= {TARGET_RAPIDJSON_RATIO:g}x RapidJSON, "
          f">= {TARGET_NLOHMANN_RATIO:g}x nlohmann::json.")


if __name__ == "__main__":
    if len([a for a in sys.argv[1:] if a != "--real"]) < 1:
        sys.exit(__doc__)
    main(sys.argv[1:])

#!/usr/bin/env bash
# Runs each decoder fuzzer (Coinone and BTSE, side by side: one core each) for a bounded time;
# exits non-zero on any crash, sanitizer report, timeout or broken invariant (libFuzzer's own exit
# status).
#   tests/fuzz/run.sh <build-dir> <seconds-per-fuzzer>
# The build dir must be configured with CXX=clang++ -DMDE_FUZZ=ON (see tests/fuzz/CMakeLists.txt).
# The seed corpus is generated here from the golden frames in tests/data/*.jsonl (one file per
# line), into <build-dir>/tests/fuzz/work/seeds; each fuzzer's new inputs accumulate in
# .../work/<fuzzer>/corpus and its crash reproducers land in .../work/<fuzzer>/artifacts/.
set -euo pipefail

if [ $# -ne 2 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
build=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
fuzzers="coinone_decoder_fuzz:coinone.dict btse_decoder_fuzz:btse.dict"
for entry in $fuzzers; do
  fuzzer="$build/tests/fuzz/${entry%%:*}"
  if [ ! -x "$fuzzer" ]; then
    echo "run.sh: no fuzzer at $fuzzer (configure with CXX=clang++ -DMDE_FUZZ=ON and build)" >&2
    exit 2
  fi
done

work="$build/tests/fuzz/work"
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"

count=0
for jsonl in "$here"/../data/*.jsonl; do
  name=$(basename "$jsonl" .jsonl)
  n=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    [ -n "${line//[[:space:]]/}" ] || continue
    printf '%s' "$line" > "$seeds/${name}_$n.json"
    count=$((count + 1))
  done < "$jsonl"
done
if [ "$count" -eq 0 ]; then
  echo "run.sh: no seed frames found in $here/../data/*.jsonl" >&2
  exit 2
fi
echo "run.sh: $count seed frames; fuzzing each decoder for ${seconds}s"

# fuzz_one <fuzzer name> <dict>: one bounded run; its exit status is libFuzzer's.
fuzz_one() {
  local name=$1 dict=$2
  local fuzzer="$build/tests/fuzz/$name"
  local corpus="$work/$name/corpus" artifacts="$work/$name/artifacts"
  local log="$work/$name/fuzz.log"
  mkdir -p "$corpus" "$artifacts"
  # -timeout: one input taking longer than 10 s is a hang, reported like a crash.
  "$fuzzer" "$corpus" "$seeds" \
    -max_len=4096 -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$here/$dict" -use_value_profile=1 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
}

# Each fuzzer is one process on one core: they run side by side, then each reports in turn.
pids=()
for entry in $fuzzers; do
  fuzz_one "${entry%%:*}" "${entry#*:}" &
  pids+=($!)
done
failed=0
i=0
for entry in $fuzzers; do
  name=${entry%%:*}
  status=0
  wait "${pids[$i]}" || status=$?
  i=$((i + 1))
  log="$work/$name/fuzz.log"
  artifacts="$work/$name/artifacts"
  echo "run.sh: $name"
  # The progress lines run to thousands; keep them in the log and show the summary.
  grep -E '^(INFO: Seed|#[0-9]+ +DONE|Done |stat::)' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log" >&2
    echo "run.sh: $name failed (exit $status); reproducers in $artifacts/:" >&2
    ls -l "$artifacts" >&2 || true
    echo "reproduce with: $build/tests/fuzz/$name <file>" >&2
    failed=$status
    continue
  fi
  echo "run.sh: $name: no crash in ${seconds}s"
done
exit "$failed"

// `mde gen`: writes a synthetic Coinone capture (see sample/coinone_generator.hpp).
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "sample/capture_io.hpp"
#include "sample/coinone_generator.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

// Frames at most: the generator's gaps reach 50 ms, so 10^9 frames span at most 5 * 10^16 ns,
// well inside int64 from any --start-ns allowed; larger counts only serve to wrap the clock.
constexpr std::uint64_t kMaxFrames = 1'000'000'000;
constexpr std::int64_t kMaxStartNs = INT64_MAX / 2;

struct GenArgs {
  sample::GenOptions options;
  std::uint64_t frames = 0;
  std::string out_path;
  std::vector<std::string> splice_paths;
};

struct Splice {
  std::uint64_t after;  // emitted once this many generated frames are out
  std::uint32_t connection;
  std::string frame;
};

// Reads a splice file and spreads its frames evenly over `frames` generated ones.
bool load_splice(const std::string& path, const std::string& out_path, std::uint64_t frames,
                 std::vector<Splice>& out) {
  sample::CaptureSource source;
  if (!source.open(path)) {
    std::fprintf(stderr, "mde gen: %s\n", source.error().c_str());
    return false;
  }
  if (std::string error; sample::refuse_same_file(out_path, path, source.identity(), error)) {
    std::fprintf(stderr, "mde gen: %s\n", error.c_str());
    return false;
  }
  std::vector<Splice> mine;
  capture::CaptureRecord r{};
  while (source.next(r)) {
    std::uint32_t connection = r.connection;
    if (source.form() == CaptureForm::text) {
      const std::string_view t = r.frame.text();
      const bool is_private = t.find("\"MYORDER\"") != std::string_view::npos ||
                              t.find("\"MYASSET\"") != std::string_view::npos;
      connection = is_private ? sample::kPrivateConnection : sample::kPublicConnection;
    }
    mine.push_back({0, connection, std::string(r.frame.text())});
  }
  if (!source.clean_end()) {
    std::fprintf(stderr, "mde gen: %s: %s\n", path.c_str(), source.end_report().c_str());
    return false;
  }
  const std::uint64_t n = mine.size();
  for (std::uint64_t j = 0; j < n; ++j) {
    mine[j].after = static_cast<std::uint64_t>(
        static_cast<unsigned __int128>(j + 1) * frames / (n + 1));
  }
  out.insert(out.end(), mine.begin(), mine.end());
  return true;
}

int run_gen(GenArgs& a) {
  sample::GenOptions& options = a.options;
  const std::uint64_t frames = a.frames;
  const std::string& out_path = a.out_path;
  std::vector<Splice> splices;
  for (const std::string& p : a.splice_paths) {
    if (!load_splice(p, out_path, frames, splices)) return kExitFailed;
  }
  std::stable_sort(splices.begin(), splices.end(),
                   [](const Splice& x, const Splice& y) { return x.after < y.after; });

  const CaptureForm form = sample::form_from_extension(out_path).value_or(CaptureForm::native);
  sample::CaptureSink sink;
  capture::WriterOptions writer_options;
  writer_options.flags = capture::kFlagSynthetic;
  writer_options.created_ns = options.start_ns;  // deterministic bytes for a seed
  if (!sink.open(out_path, form, writer_options)) {
    std::fprintf(stderr, "mde gen: %s\n", sink.error().c_str());
    return kExitFailed;
  }
  Progress progress("gen", frames);

  const auto t0 = std::chrono::steady_clock::now();
  sample::CoinoneGenerator gen(options);
  std::int64_t last_ns = 0;
  std::size_t next_splice = 0;
  std::uint64_t bytes = 0;
  // Receive times stay strictly increasing across generated and spliced frames.
  auto emit = [&](std::int64_t ns, std::uint32_t connection, std::string_view frame) {
    if (ns <= last_ns) ns = last_ns + 1;
    last_ns = ns;
    bytes += frame.size();
    return sink.write(ns, connection, frame, Venue::coinone);
  };
  auto emit_splices = [&](std::uint64_t generated) {
    while (next_splice < splices.size() && splices[next_splice].after == generated) {
      const Splice& s = splices[next_splice++];
      if (!emit(last_ns + 1'000, s.connection, s.frame)) return false;
    }
    return true;
  };
  bool ok = emit_splices(0);
  for (std::uint64_t i = 1; ok && i <= frames; ++i) {
    const sample::GenFrame f = gen.next();
    ok = emit(f.receive_ns, f.connection, f.text) && emit_splices(i);
    progress.update(i, i);
  }
  progress.finish();
  if (!ok || !sink.close()) {
    std::fprintf(stderr, "mde gen: %s\n", sink.error().c_str());
    return kExitFailed;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const sample::GenCounts& c = gen.counts();
  std::fprintf(stderr,
               "mde gen: %s seed %" PRIu64 ": %" PRIu64 " frames (book %" PRIu64
               ", trade %" PRIu64 ", ticker %" PRIu64 ", order %" PRIu64 ", asset %" PRIu64
               ", control %" PRIu64 ")%s%zu spliced -> %s (%s)\n"
               "mde gen: %" PRIu64 " payload bytes, %.6f s of feed time, written in %.2f s "
               "(%.2f M frames/s, %.0f MB/s)\n",
               std::string(to_string(options.kind)).c_str(), options.seed, frames, c.book,
               c.trade, c.ticker, c.order, c.asset, c.control, splices.empty() ? ", " : " + ",
               splices.size(), out_path.c_str(), std::string(to_string(form)).c_str(), bytes,
               static_cast<double>(last_ns - options.start_ns) / 1e9, secs,
               static_cast<double>(frames) / secs / 1e6, static_cast<double>(bytes) / secs / 1e6);
  return kExitOk;
}

}  // namespace

Command add_gen(CLI::App& app) {
  auto a = std::make_shared<GenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gen",
      "Write N synthetic Coinone frames (deterministic for a seed) to OUT: native when OUT ends "
      "in .mdecap (or has no known extension), text for .jsonl/.txt. OUT is written to a "
      "temporary file beside it and renamed into place.");
  cmd->add_option_function<std::string>(
         "--kind", [a](const std::string& v) { (void)sample::parse_gen_kind(v, a->options.kind); },
         "Shape of the feed")
      ->required()
      ->check(CLI::IsMember({"trade-heavy", "book-heavy", "mixed"}));
  cmd->add_option("--frames", a->frames, "Generated frames (1 to 10^9)")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, kMaxFrames));
  cmd->add_option("--seed", a->options.seed, "Random seed")->capture_default_str();
  cmd->add_option("--start-ns", a->options.start_ns, "Receive time of the first frame (ns)")
      ->check(CLI::Range(std::int64_t{0}, kMaxStartNs))
      ->capture_default_str();
  cmd->add_option("--splice", a->splice_paths,
                  "Also insert FILE's frames (a text or native capture), in order and spread "
                  "evenly through the generated ones, each timed just after the frame before it. "
                  "MYORDER and MYASSET frames from text go on the private connection (2), the "
                  "rest on the public one (1). Repeatable.");
  cmd->add_option("-o,--output", a->out_path, "Output capture")->required();
  return [a] { return run_gen(*a); };
}

}  // namespace mde::tools

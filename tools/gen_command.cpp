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

#include "commands.hpp"
#include "mde/sample/capture_io.hpp"
#include "mde/sample/coinone_generator.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

int usage() {
  std::fputs(
      "usage: mde gen --kind trade-heavy|book-heavy|mixed --frames N [--seed S] [--start-ns NS]\n"
      "               [--splice FILE]... -o OUT\n"
      "  Writes N generated frames (deterministic for a seed) to OUT: native when OUT ends in\n"
      "  .mdecap (or has no known extension), text for .jsonl/.txt.\n"
      "  --splice FILE: also insert FILE's frames (a text or native capture), in order and spread\n"
      "  evenly through the generated ones, each timed just after the frame before it. MYORDER and\n"
      "  MYASSET frames from text go on the private connection (2), the rest on the public one (1).\n",
      stderr);
  return 2;
}

bool parse_u64(const char* s, std::uint64_t& out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0 || *s == '-') return false;
  out = v;
  return true;
}

struct Splice {
  std::uint64_t after;  // emitted once this many generated frames are out
  std::uint32_t connection;
  std::string frame;
};

// Reads a splice file and spreads its frames evenly over `frames` generated ones.
bool load_splice(const std::string& path, std::uint64_t frames, std::vector<Splice>& out) {
  sample::CaptureSource source;
  if (!source.open(path)) {
    std::fprintf(stderr, "mde gen: %s\n", source.error().c_str());
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

}  // namespace

int run_gen(std::span<char* const> args) {
  sample::GenOptions options;
  std::uint64_t frames = 0;
  std::string out_path;
  std::vector<std::string> splice_paths;
  bool have_kind = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const char* v = i + 1 < args.size() ? args[i + 1] : nullptr;
    std::uint64_t n = 0;
    if (v == nullptr) return usage();
    ++i;
    if (a == "--kind") {
      if (!sample::parse_gen_kind(v, options.kind)) return usage();
      have_kind = true;
    } else if (a == "--frames" && parse_u64(v, n)) {
      frames = n;
    } else if (a == "--seed" && parse_u64(v, n)) {
      options.seed = n;
    } else if (a == "--start-ns" && parse_u64(v, n) && n <= INT64_MAX / 2) {
      options.start_ns = static_cast<std::int64_t>(n);
    } else if (a == "--splice") {
      splice_paths.emplace_back(v);
    } else if (a == "-o" || a == "--output") {
      out_path = v;
    } else {
      return usage();
    }
  }
  if (!have_kind || frames == 0 || out_path.empty()) return usage();

  std::vector<Splice> splices;
  for (const std::string& p : splice_paths) {
    if (!load_splice(p, frames, splices)) return 1;
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
    return 1;
  }

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
    return sink.write(ns, connection, frame);
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
  }
  if (!ok || !sink.close()) {
    std::fprintf(stderr, "mde gen: %s\n", sink.error().c_str());
    return 1;
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
  return 0;
}

}  // namespace mde::tools

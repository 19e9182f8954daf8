// `mde gen`: writes a synthetic Coinone, BTSE or two-venue capture (mde/sample/*_generator.hpp).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "mde/sample/capture_io.hpp"
#include "mde/sample/btse_generator.hpp"
#include "mde/sample/coinone_generator.hpp"
#include "mde/sample/mixed_generator.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

// Frames at most: the generators' gaps stay below a second, so 10^9 frames span well under
// 10^18 ns, inside int64 from any --start-ns allowed; larger counts only serve to wrap the clock
// (and 2^64 - 1 would never end).
constexpr std::uint64_t kMaxFrames = 1'000'000'000;
constexpr std::int64_t kMaxStartNs = INT64_MAX / 2;

enum class GenVenue : std::uint8_t { coinone, btse, mixed };

bool parse_venue(std::string_view text, GenVenue& out) {
  if (text == "coinone") out = GenVenue::coinone;
  else if (text == "btse") out = GenVenue::btse;
  else if (text == "mixed") out = GenVenue::mixed;
  else return false;
  return true;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const std::size_t comma = std::min(text.find(','), text.size());
    if (comma > 0) parts.emplace_back(text.substr(0, comma));
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return parts;
}

// The chosen venue's generator behind one next().
class Source {
 public:
  Source(GenVenue venue, const sample::GenOptions& coinone, const sample::BtseGenOptions& btse) {
    switch (venue) {
      case GenVenue::coinone: coinone_.emplace(coinone); break;
      case GenVenue::btse: btse_.emplace(btse); break;
      case GenVenue::mixed: mixed_.emplace(coinone, btse); break;
    }
  }
  sample::GenFrame next() {
    if (coinone_) return coinone_->next();
    if (btse_) return btse_->next();
    return mixed_->next();
  }
  [[nodiscard]] const sample::GenCounts* coinone_counts() const {
    return coinone_ ? &coinone_->counts() : mixed_ ? &mixed_->coinone_counts() : nullptr;
  }
  [[nodiscard]] const sample::BtseGenCounts* btse_counts() const {
    return btse_ ? &btse_->counts() : mixed_ ? &mixed_->btse_counts() : nullptr;
  }

 private:
  std::optional<sample::CoinoneGenerator> coinone_;
  std::optional<sample::BtseGenerator> btse_;
  std::optional<sample::MixedGenerator> mixed_;
};

struct Splice {
  std::uint64_t after;  // emitted once this many generated frames are out
  std::uint32_t connection;
  Venue venue;
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
    mine.push_back({0, connection, r.venue, std::string(r.frame.text())});
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

struct GenArgs {
  sample::GenOptions options;
  sample::BtseGenOptions btse;
  GenVenue venue = GenVenue::coinone;
  std::uint64_t frames = 0;
  std::string out_path;
  std::vector<std::string> splice_paths;
};

int run_gen(GenArgs& a) {
  sample::GenOptions& options = a.options;
  sample::BtseGenOptions& btse = a.btse;
  const GenVenue venue = a.venue;
  const std::uint64_t frames = a.frames;
  const std::string& out_path = a.out_path;
  btse.kind = options.kind;
  btse.seed = options.seed;
  btse.start_ns = options.start_ns;

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
  std::optional<Source> gen;
  try {
    gen.emplace(venue, options, btse);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "mde gen: %s\n", e.what());
    return kExitUsage;
  }
  std::int64_t last_ns = 0;
  std::size_t next_splice = 0;
  std::uint64_t bytes = 0;
  // Receive times stay strictly increasing across generated and spliced frames.
  auto emit = [&](std::int64_t ns, std::uint32_t connection, std::string_view frame,
                  Venue frame_venue) {
    if (ns <= last_ns) ns = last_ns + 1;
    last_ns = ns;
    bytes += frame.size();
    return sink.write(ns, connection, frame, frame_venue);
  };
  auto emit_splices = [&](std::uint64_t generated) {
    while (next_splice < splices.size() && splices[next_splice].after == generated) {
      const Splice& s = splices[next_splice++];
      if (!emit(last_ns + 1'000, s.connection, s.frame, s.venue)) return false;
    }
    return true;
  };
  bool ok = emit_splices(0);
  for (std::uint64_t i = 1; ok && i <= frames; ++i) {
    const sample::GenFrame f = gen->next();
    ok = emit(f.receive_ns, f.connection, f.text, f.venue) && emit_splices(i);
    progress.update(i, i);
  }
  progress.finish();
  if (!ok || !sink.close()) {
    std::fprintf(stderr, "mde gen: %s\n", sink.error().c_str());
    return kExitFailed;  // the sink removed its temporary; OUT is left as it was
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "mde gen: %s %s seed %" PRIu64 ": %" PRIu64 " frames%s%zu spliced -> %s (%s)\n",
               venue == GenVenue::coinone ? "coinone" : venue == GenVenue::btse ? "btse" : "mixed",
               std::string(to_string(options.kind)).c_str(), options.seed, frames,
               splices.empty() ? ", " : " + ", splices.size(), out_path.c_str(),
               std::string(to_string(form)).c_str());
  if (const sample::GenCounts* c = gen->coinone_counts()) {
    std::fprintf(stderr,
                 "mde gen:   coinone: book %" PRIu64 ", trade %" PRIu64 ", ticker %" PRIu64
                 ", order %" PRIu64 ", asset %" PRIu64 ", control %" PRIu64 "\n",
                 c->book, c->trade, c->ticker, c->order, c->asset, c->control);
  }
  if (const sample::BtseGenCounts* c = gen->btse_counts()) {
    std::fprintf(stderr,
                 "mde gen:   btse: snapshot %" PRIu64 ", delta %" PRIu64 ", trade batch %" PRIu64
                 " (%" PRIu64 " trades), control %" PRIu64 "; gaps %" PRIu64 ", crosses %" PRIu64
                 ", duplicates %" PRIu64 ", resubscribes %" PRIu64 ", resyncs %" PRIu64 "\n",
                 c->snapshot, c->delta, c->trade_batch, c->trades, c->control, c->gaps,
                 c->crosses, c->duplicates, c->resubscribes, c->resyncs);
  }
  std::fprintf(stderr,
               "mde gen: %" PRIu64 " payload bytes, %.6f s of feed time, written in %.2f s "
               "(%.2f M frames/s, %.0f MB/s)\n",
               bytes, static_cast<double>(last_ns - options.start_ns) / 1e9, secs,
               static_cast<double>(frames) / secs / 1e6, static_cast<double>(bytes) / secs / 1e6);
  return kExitOk;
}

// A probability option ("0.001"), stored as parts per million.
void add_probability(CLI::App* cmd, const char* name, std::uint32_t& ppm, const char* help) {
  cmd->add_option_function<std::string>(
         name, [&ppm](const std::string& v) { (void)sample::parse_probability(v, ppm); }, help)
      ->check(CLI::Validator(
          [](std::string& v) {
            std::uint32_t unused = 0;
            return sample::parse_probability(v, unused) ? std::string()
                                                         : "expected a probability in [0, 1]";
          },
          "P", "PROBABILITY"));
}

}  // namespace

Command add_gen(CLI::App& app) {
  auto a = std::make_shared<GenArgs>();
  CLI::App* cmd = app.add_subcommand(
      "gen",
      "Write N synthetic frames (deterministic for a seed) to OUT: native when OUT ends in "
      ".mdecap (or has no known extension), text for .jsonl/.txt. OUT is written to a "
      "temporary file beside it and renamed into place.");
  cmd->add_option_function<std::string>(
         "--kind", [a](const std::string& v) { (void)sample::parse_gen_kind(v, a->options.kind); },
         "Shape of the feed")
      ->required()
      ->check(CLI::IsMember({"trade-heavy", "book-heavy", "mixed"}));
  cmd->add_option("--frames", a->frames, "Generated frames (1 to 10^9)")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, kMaxFrames));
  cmd->add_option("--seed", a->options.seed, "Random seed (0 to 2^64-1)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--start-ns", a->options.start_ns, "Receive time of the first frame (ns)")
      ->check(CLI::Range(std::int64_t{0}, kMaxStartNs))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--venue", [a](const std::string& v) { (void)parse_venue(v, a->venue); },
         "coinone (default; connections 1 public, 2 private), btse (3 order book, 4 trades) or "
         "mixed (both venues interleaved in time order in one capture)")
      ->check(CLI::IsMember({"coinone", "btse", "mixed"}));
  cmd->add_option_function<std::string>(
         "--btse-markets", [a](const std::string& v) { a->btse.markets = split_commas(v); },
         "BTSE markets, comma-separated (default BTC-USD,ETH-USD)")
      ->check(CLI::Validator(
          [](std::string& v) {
            return split_commas(v).empty() ? std::string("expected A,B,...") : std::string();
          },
          "A,B,...", "MARKETS"));
  add_probability(cmd, "--gap-prob", a->btse.gap_ppm,
                  "BTSE, per delta: a seqNum is skipped (the delta is lost)");
  add_probability(cmd, "--cross-prob", a->btse.cross_ppm,
                  "BTSE, per delta: a level crosses the book (removed next delta)");
  add_probability(cmd, "--duplicate-prob", a->btse.duplicate_ppm,
                  "BTSE, per delta: the delta is sent twice");
  add_probability(cmd, "--resubscribe-prob", a->btse.resubscribe_ppm,
                  "BTSE, per frame: a topic is resubscribed (default 0.00002)");
  cmd->add_flag_callback(
      "--no-resync", [a] { a->btse.resync_after_fault = false; },
      "BTSE: after a gap or cross, do not resubscribe the topic");
  cmd->add_option("--splice", a->splice_paths,
                  "Also insert FILE's frames (a text or native capture), in order and spread "
                  "evenly through the generated ones, each timed just after the frame before it. "
                  "MYORDER and MYASSET frames from text go on the private connection (2), the "
                  "rest on the public one (1). Repeatable.");
  cmd->add_option("-o,--output", a->out_path, "Output capture")->required();
  return [a] { return run_gen(*a); };
}

}  // namespace mde::tools

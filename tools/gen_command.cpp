// `mde gen`: writes a synthetic Coinone, BTSE or two-venue capture (mde/sample/*_generator.hpp).
#include <algorithm>
#include <cerrno>
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

#include "commands.hpp"
#include "mde/sample/capture_io.hpp"
#include "mde/sample/btse_generator.hpp"
#include "mde/sample/coinone_generator.hpp"
#include "mde/sample/mixed_generator.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

int usage() {
  std::fputs(
      "usage: mde gen --kind trade-heavy|book-heavy|mixed --frames N [--seed S] [--start-ns NS]\n"
      "               [--venue coinone|btse|mixed] [BTSE knobs] [--splice FILE]... -o OUT\n"
      "  Writes N generated frames (deterministic for a seed) to OUT: native when OUT ends in\n"
      "  .mdecap (or has no known extension), text for .jsonl/.txt.\n"
      "  --venue: coinone (default; connections 1 public, 2 private), btse (3 order book,\n"
      "  4 trades) or mixed (both venues interleaved in time order in one capture).\n"
      "  BTSE knobs (probabilities as decimals in [0,1]):\n"
      "    --btse-markets A,B,...    markets (default BTC-USD,ETH-USD)\n"
      "    --gap-prob P              per delta: a seqNum is skipped (the delta is lost)\n"
      "    --cross-prob P            per delta: a level crosses the book (removed next delta)\n"
      "    --duplicate-prob P        per delta: the delta is sent twice\n"
      "    --resubscribe-prob P      per frame: a topic is resubscribed (default 0.00002)\n"
      "    --no-resync               after a gap or cross, do not resubscribe the topic\n"
      "  --splice FILE: also insert FILE's frames (a text or native capture), in order and spread\n"
      "  evenly through the generated ones, each timed just after the frame before it. MYORDER and\n"
      "  MYASSET frames from text go on the private connection (2), the rest on the public one (1).\n",
      stderr);
  return 2;
}

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
  sample::BtseGenOptions btse;
  GenVenue venue = GenVenue::coinone;
  std::uint64_t frames = 0;
  std::string out_path;
  std::vector<std::string> splice_paths;
  bool have_kind = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--no-resync") {
      btse.resync_after_fault = false;
      continue;
    }
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
    } else if (a == "--venue") {
      if (!parse_venue(v, venue)) return usage();
    } else if (a == "--btse-markets") {
      btse.markets = split_commas(v);
      if (btse.markets.empty()) return usage();
    } else if (a == "--gap-prob") {
      if (!sample::parse_probability(v, btse.gap_ppm)) return usage();
    } else if (a == "--cross-prob") {
      if (!sample::parse_probability(v, btse.cross_ppm)) return usage();
    } else if (a == "--duplicate-prob") {
      if (!sample::parse_probability(v, btse.duplicate_ppm)) return usage();
    } else if (a == "--resubscribe-prob") {
      if (!sample::parse_probability(v, btse.resubscribe_ppm)) return usage();
    } else if (a == "--splice") {
      splice_paths.emplace_back(v);
    } else if (a == "-o" || a == "--output") {
      out_path = v;
    } else {
      return usage();
    }
  }
  if (!have_kind || frames == 0 || out_path.empty()) return usage();
  btse.kind = options.kind;
  btse.seed = options.seed;
  btse.start_ns = options.start_ns;

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
  std::optional<Source> gen;
  try {
    gen.emplace(venue, options, btse);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "mde gen: %s\n", e.what());
    return 2;
  }
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
    const sample::GenFrame f = gen->next();
    // f.venue goes to the record once native captures carry it (capture format v2).
    ok = emit(f.receive_ns, f.connection, f.text) && emit_splices(i);
  }
  if (!ok || !sink.close()) {
    std::fprintf(stderr, "mde gen: %s\n", sink.error().c_str());
    return 1;
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
  return 0;
}

}  // namespace mde::tools

// BTSE frame decoding: mde's btse::Decoder beside RapidJSON and nlohmann::json.
//
// Frames (built here, deterministic): an order-book delta with 10 level changes (two of them
// deletions), a 50-level-a-side snapshot (asks worst-first, as on the wire), and public-trade
// batches of 1 and 10 trades (bare numbers, some in Java's exponent form). For each, three
// benchmarks run side by side, BM_Decode/<frame>/{mde,rapidjson,nlohmann}: each decodes the same
// padded frame into the same mde::Events (ArraySink) with exact decimals, so only the JSON layer
// differs. Time per iteration is the cost of one frame.
//
// Before timing, every benchmark decodes its frame once and compares each event with the one the
// shipped decoder produced (canonical text, support/event_text.hpp); a mismatch aborts the run.
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <rapidjson/rapidjson.h>

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/btse_dom_decode.hpp"
#include "feeds/nlohmann_decoder.hpp"
#include "feeds/rapidjson_decoder.hpp"
#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/btse/decoder.hpp"
#include "mde/feeds/event_sink.hpp"
#include "support/event_text.hpp"
#include "support/jsonl_frames.hpp"

#ifndef MDE_BENCH_NATIVE
#define MDE_BENCH_NATIVE 0
#endif

namespace mde::bench {
namespace {

constexpr std::uint32_t kConnection = 7;
using Sink = ArraySink<16>;

// ---- Competitors -----------------------------------------------------------------------------

// RapidJSON parsed with kParseNumbersAsStringsFlag: a number's value is its wire text, which is
// what an exact decimal needs (the flag is the documented way to keep it).
struct BtseRapidJsonDom : RapidJsonDom {
  static bool number_text(const Value& v, char*, std::size_t, std::string_view& out) noexcept {
    return string(v, out);
  }
};

class RapidJsonBtseDecoder {
 public:
  explicit RapidJsonBtseDecoder(const InstrumentRegistry& registry) : registry_(registry) {}
  [[nodiscard]] DecodeStatus decode(FrameView frame, Sink& sink) noexcept {
    const rapidjson::Value* root = parser_.parse<rapidjson::kParseNumbersAsStringsFlag>(frame);
    if (root == nullptr) return DecodeStatus::malformed_json;
    return btse_dom::decode<BtseRapidJsonDom>(*root, registry_, kConnection, sink);
  }
  [[nodiscard]] bool stayed_in_buffers() const noexcept { return parser_.stayed_in_buffers(); }

 private:
  const InstrumentRegistry& registry_;
  RapidJsonParser parser_;
};

// nlohmann holds a number as an integer or a double; a double is printed back as its shortest
// round-trip text (std::to_chars), which is the wire text for every value a Java double prints.
struct BtseNlohmannDom : NlohmannDom {
  static bool number_text(const Value& v, char* buf, std::size_t cap,
                          std::string_view& out) noexcept {
    std::to_chars_result r{};
    if (v.is_number_unsigned()) r = std::to_chars(buf, buf + cap, v.get<std::uint64_t>());
    else if (v.is_number_integer()) r = std::to_chars(buf, buf + cap, v.get<std::int64_t>());
    else if (v.is_number_float()) r = std::to_chars(buf, buf + cap, v.get<double>());
    else return false;
    out = {buf, static_cast<std::size_t>(r.ptr - buf)};
    return r.ec == std::errc();
  }
};

class NlohmannBtseDecoder {
 public:
  explicit NlohmannBtseDecoder(const InstrumentRegistry& registry) : registry_(registry) {}
  [[nodiscard]] DecodeStatus decode(FrameView frame, Sink& sink) {
    const nlohmann::json root = nlohmann::json::parse(frame.data, frame.data + frame.size,
                                                      /*cb=*/nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) return DecodeStatus::malformed_json;
    return btse_dom::decode<BtseNlohmannDom>(root, registry_, kConnection, sink);
  }

 private:
  const InstrumentRegistry& registry_;
};

// ---- Frames ----------------------------------------------------------------------------------

// v / 10^places as text with exactly `places` decimals ("0.06865"), built by appending only
// (GCC 12's -Wrestrict misfires on insert and on "literal" + std::string).
void append_fixed(std::string& out, std::int64_t v, int places) {
  const std::string digits = std::to_string(v);
  const int pad = places + 1 - static_cast<int>(digits.size());
  std::string all(pad > 0 ? static_cast<std::size_t>(pad) : 0, '0');
  all.append(digits);
  const std::size_t point = all.size() - static_cast<std::size_t>(places);
  out.append(all, 0, point).append(".").append(all, point, std::string::npos);
}

std::string level(std::int64_t price_tenths, std::int64_t size_e5) {
  std::string s = "[\"";
  append_fixed(s, price_tenths, 1);
  s.append("\",\"");
  append_fixed(s, size_e5, 5);
  s.append("\"]");
  return s;
}

std::string book_frame(const std::vector<std::string>& bids, const std::vector<std::string>& asks,
                       std::string_view type, std::uint64_t seq) {
  auto join = [](std::string& out, const std::vector<std::string>& v) {
    out.append("[");
    for (std::size_t i = 0; i < v.size(); ++i) out.append(i ? "," : "").append(v[i]);
    out.append("]");
  };
  std::string s = R"({"topic":"update:BTC-USD_0","data":{"bids":)";
  join(s, bids);
  s.append(R"(,"asks":)");
  join(s, asks);
  s.append(R"(,"seqNum":)").append(std::to_string(seq));
  s.append(R"(,"prevSeqNum":)").append(std::to_string(seq - 1));
  s.append(R"(,"type":")").append(type);
  s.append(R"(","timestamp":1565135165600,"symbol":"BTC-USD"}})");
  return s;
}

std::string delta10() {
  std::vector<std::string> bids, asks;
  for (int i = 0; i < 5; ++i) bids.push_back(level(592525 - 35 * i, i == 3 ? 0 : 6865 + 1000 * i));
  for (int i = 0; i < 5; ++i) asks.push_back(level(592785 + 45 * i, i == 1 ? 0 : 147200 + 313 * i));
  return book_frame(bids, asks, "delta", 628283);
}

std::string snapshot50() {
  std::vector<std::string> bids, asks;
  for (int i = 0; i < 50; ++i) bids.push_back(level(592525 - 5 * i, 6865 + 1731 * i));
  for (int i = 49; i >= 0; --i) asks.push_back(level(592785 + 5 * i, 1472 + 977 * i));  // worst first
  return book_frame(bids, asks, "snapshot", 628282);
}

std::string trades(int n) {
  static const char* const kSizes[] = {"0.007", "5.0E-4", "1.25E-3", "0.12345", "2.5", "1E+1"};
  std::string s = R"({"topic":"tradeHistoryApi:BTC-USD","data":[)";
  for (int i = 0; i < n; ++i) {
    s.append(i ? "," : "").append(R"({"symbol":"BTC-USD","side":")");
    s.append(i % 3 ? "BUY" : "SELL").append(R"(","size":)").append(kSizes[i % 6]);
    s.append(R"(,"price":)").append(std::to_string(5302 + i)).append(".8");
    s.append(R"(,"tradeId":)").append(std::to_string(118974855 + i));
    s.append(R"(,"timestamp":)").append(std::to_string(1584446020295 + i)).append("}");
  }
  s.append("]}");
  return s;
}

// ---- Benchmarks ------------------------------------------------------------------------------

struct Sample {
  std::string name;
  PaddedBuffer frame;
  std::vector<std::string> expected;  // event_text of each event the shipped decoder emits
};

struct World {
  InstrumentRegistry registry;
  std::vector<std::unique_ptr<Sample>> samples;
  std::unique_ptr<btse::Decoder> mde;
  std::unique_ptr<RapidJsonBtseDecoder> rapidjson;
  std::unique_ptr<NlohmannBtseDecoder> nlohmann;
};

World& world() {
  static World w;
  return w;
}

std::vector<std::string> texts(const Sink& sink) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sink.count; ++i) out.push_back(event_text(sink.events[i]));
  return out;
}

bool ok(DecodeResult r) { return r.ok(); }
bool ok(DecodeStatus s) { return s == DecodeStatus::ok; }

template <class Decoder>
void time_decode(benchmark::State& state, const Sample& s, const char* impl, Decoder& decoder) {
  const FrameView frame = s.frame.view();
  auto sink = std::make_unique<Sink>();
  if (!ok(decoder.decode(frame, *sink))) fail(s.name + "/" + impl + ": decode failed");
  const std::vector<std::string> got = texts(*sink);
  if (got != s.expected) {
    fail(s.name + "/" + impl + ": events differ from the mde decoder's\n  mde:" +
         (s.expected.empty() ? "" : s.expected[0]) + "\n  " + impl + ":" +
         (got.empty() ? "" : got[0]));
  }
  if constexpr (requires { decoder.stayed_in_buffers(); }) {
    if (!decoder.stayed_in_buffers()) fail(s.name + "/" + impl + ": outgrew the user buffers");
  }
  for (auto _ : state) {
    sink->clear();
    auto r = decoder.decode(frame, *sink);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  const auto frames = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(frames);
  state.SetBytesProcessed(frames * static_cast<std::int64_t>(frame.size));
  state.counters["frame_bytes"] = static_cast<double>(frame.size);
  state.counters["events"] = static_cast<double>(s.expected.size());
}

void bm_mde(benchmark::State& state, const Sample* s) {
  time_decode(state, *s, "mde", *world().mde);
}
void bm_rapidjson(benchmark::State& state, const Sample* s) {
  time_decode(state, *s, "rapidjson", *world().rapidjson);
}
void bm_nlohmann(benchmark::State& state, const Sample* s) {
  time_decode(state, *s, "nlohmann", *world().nlohmann);
}

void setup() {
  World& w = world();
  if (!w.registry.add(Venue::btse, "BTC-USD")) fail("cannot register BTC-USD");
  w.mde = std::make_unique<btse::Decoder>(w.registry,
                                          btse::DecoderOptions{.connection = kConnection});
  w.rapidjson = std::make_unique<RapidJsonBtseDecoder>(w.registry);
  w.nlohmann = std::make_unique<NlohmannBtseDecoder>(w.registry);

  const std::pair<const char*, std::string> frames[] = {{"delta10", delta10()},
                                                        {"snapshot50", snapshot50()},
                                                        {"trades1", trades(1)},
                                                        {"trades10", trades(10)}};
  const std::size_t events[] = {1, 1, 1, 10};
  // The reference events come from a decoder of their own, so the timed one starts cold.
  btse::Decoder reference(w.registry, btse::DecoderOptions{.connection = kConnection});
  auto sink = std::make_unique<Sink>();
  for (std::size_t i = 0; i < std::size(frames); ++i) {
    const auto& [name, text] = frames[i];
    auto s = std::make_unique<Sample>(Sample{name, PaddedBuffer(text.size()), {}});
    if (!s->frame.assign(text)) fail(s->name + ": frame does not fit");
    sink->clear();
    const DecodeResult r = reference.decode(s->frame.view(), *sink);
    if (!r.ok()) fail(s->name + ": rejected: " + std::string(to_string(r.status)) + " " + r.field);
    if (sink->count != events[i]) fail(s->name + ": unexpected event count");
    s->expected = texts(*sink);
    w.samples.push_back(std::move(s));
  }
  const BookUpdate& snap = [&]() -> const BookUpdate& {
    sink->clear();
    (void)reference.decode(w.samples[1]->frame.view(), *sink);
    return sink->events[0].book;
  }();
  if (snap.bid_count != 50 || snap.ask_count != 50) fail("snapshot50: expected 50 levels a side");

  for (const auto& s : w.samples) {
    const std::string base = "BM_Decode/" + s->name + "/";
    benchmark::RegisterBenchmark((base + "mde").c_str(), bm_mde, s.get());
    benchmark::RegisterBenchmark((base + "rapidjson").c_str(), bm_rapidjson, s.get());
    benchmark::RegisterBenchmark((base + "nlohmann").c_str(), bm_nlohmann, s.get());
  }
  benchmark::AddCustomContext("mde_native", MDE_BENCH_NATIVE ? "ON (-march=native)" : "OFF");
  benchmark::AddCustomContext("rapidjson", RAPIDJSON_VERSION_STRING);
}

}  // namespace
}  // namespace mde::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  mde::bench::setup();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

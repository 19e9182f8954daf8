// Coinone frame decoding: mde's simdjson decoder beside RapidJSON and nlohmann::json.
//
// For each frame (TRADE, MYORDER, 16-level ORDERBOOK, TICKER, MYASSET; DEFAULT and SHORT format)
// three benchmarks run side by side, named BM_Decode/<frame>_<format>/{mde,rapidjson,nlohmann}:
// each decodes the same padded frame into the same mde::Event with exact decimals
// (mde::Decimal::parse everywhere), so only the JSON layer differs. Time per iteration is the
// cost of one frame; bytes_per_second and items_per_second (frames/s) are reported too.
//
// Before timing, every benchmark decodes its frame once and compares the event with the one the
// shipped decoder produced (canonical text, see support/event_text.hpp); a mismatch aborts the
// run. The frames come from tests/data/coinone_protocol_frames.jsonl (the protocol document's
// examples).
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <rapidjson/rapidjson.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "feeds/nlohmann_decoder.hpp"
#include "feeds/rapidjson_decoder.hpp"
#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "support/event_text.hpp"
#include "support/jsonl_frames.hpp"

#ifndef MDE_TEST_DATA_DIR
#error "MDE_TEST_DATA_DIR must point at tests/data"
#endif
#ifndef MDE_BENCH_NATIVE
#define MDE_BENCH_NATIVE 0
#endif

namespace mde::bench {
namespace {

constexpr std::uint32_t kConnection = 7;  // any non-zero value: the header must carry it

// Which frame of the sample file each benchmark decodes: the first line holding every needle.
struct FrameSpec {
  const char* name;  // "<frame>_<format>"
  std::string_view needles[2];
  EventKind kind;
};

const FrameSpec kFrames[] = {
    {"trade_default", {R"("response_type":"DATA")", R"("channel":"TRADE")"}, EventKind::trade},
    {"trade_short", {R"("r":"DATA")", R"("c":"TRADE")"}, EventKind::trade},
    // A fill: the MYORDER frame with the most fields present.
    {"myorder_default", {R"("channel":"MYORDER")", R"("status":"trade",)"}, EventKind::order},
    {"myorder_short", {R"("c":"MYORDER")", R"("st":"trade",)"}, EventKind::order},
    {"orderbook16_default", {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"},
     EventKind::book},
    {"orderbook16_short", {R"("r":"DATA")", R"("c":"ORDERBOOK")"}, EventKind::book},
    {"ticker_default", {R"("response_type":"DATA")", R"("channel":"TICKER")"},
     EventKind::ticker},
    {"ticker_short", {R"("r":"DATA")", R"("c":"TICKER")"}, EventKind::ticker},
    // A trade's balance change: two currencies.
    {"myasset_default", {R"("channel":"MYASSET")", R"("type":"trade")"}, EventKind::asset},
    {"myasset_short", {R"("c":"MYASSET")", R"("t":"trade")"}, EventKind::asset},
};

// One frame, padded for simdjson (the padding is zeroed, which also NUL-terminates it for
// RapidJSON), and the event the shipped decoder makes of it.
struct Sample {
  std::string name;
  PaddedBuffer frame;
  Event expected;
  std::string expected_text;
};

// Everything the benchmarks share. Built once in main(), before any benchmark runs.
struct World {
  InstrumentRegistry registry;
  std::vector<std::unique_ptr<Sample>> samples;
  std::unique_ptr<coinone::Decoder> mde;
  std::unique_ptr<RapidJsonDecoder> rapidjson;
  std::unique_ptr<NlohmannDecoder> nlohmann;
};

World& world() {
  static World w;
  return w;
}

void check_same(const Sample& s, const char* who, DecodeStatus status, const Event& got) {
  if (status != DecodeStatus::ok) {
    fail(s.name + "/" + who + ": decode failed: " + std::string(to_string(status)));
  }
  const std::string text = event_text(got);
  if (text != s.expected_text) {
    fail(s.name + "/" + who + ": event differs from the mde decoder's\n  mde:" +
         s.expected_text + "\n  " + who + ":" + text);
  }
}

void report(benchmark::State& state, const Sample& s) {
  const auto frames = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(frames);
  state.SetBytesProcessed(frames * static_cast<std::int64_t>(s.frame.view().size));
  state.counters["frame_bytes"] = static_cast<double>(s.frame.view().size);
}

DecodeStatus status_of(DecodeResult r) { return r.status; }
DecodeStatus status_of(DecodeStatus s) { return s; }

// Checks the decoder's event against the reference decoder's, then times the decode.
template <class Decoder>
void time_decode(benchmark::State& state, const Sample& s, const char* impl, Decoder& decoder) {
  const FrameView frame = s.frame.view();
  Event event;
  check_same(s, impl, status_of(decoder.decode(frame, event)), event);
  if constexpr (requires { decoder.stayed_in_buffers(); }) {
    if (!decoder.stayed_in_buffers()) fail(s.name + "/" + impl + ": parse outgrew the user buffers");
  }
  benchmark::DoNotOptimize(&event);
  for (auto _ : state) {
    auto r = decoder.decode(frame, event);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  report(state, s);
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
  for (const char* market : {"XRP-KRW", "ETH-KRW", "BTC-KRW"}) {
    if (!w.registry.add(mde::Venue::coinone, market)) fail(std::string("cannot register ") + market);
  }
  coinone::DecoderOptions options;
  options.connection = kConnection;
  w.mde = std::make_unique<coinone::Decoder>(w.registry, options);
  w.rapidjson = std::make_unique<RapidJsonDecoder>(w.registry, kConnection);
  w.nlohmann = std::make_unique<NlohmannDecoder>(w.registry, kConnection);

  const std::string path = std::string(MDE_TEST_DATA_DIR) + "/coinone_protocol_frames.jsonl";
  const std::vector<std::string> lines = read_lines(path);
  // The reference events come from a decoder of their own, so the timed one starts cold.
  coinone::Decoder reference(w.registry, options);
  for (const FrameSpec& spec : kFrames) {
    const std::string& line = first_line_with(lines, spec.needles, spec.name);
    auto s = std::make_unique<Sample>(Sample{spec.name, PaddedBuffer(line.size()), Event{}, {}});
    if (!s->frame.assign(line)) fail(s->name + ": frame does not fit");
    const DecodeResult r = reference.decode(s->frame.view(), s->expected);
    if (!r.ok()) {
      fail(s->name + ": mde decoder rejected the sample: " + std::string(to_string(r.status)) +
           " at " + r.field);
    }
    if (s->expected.header.kind != spec.kind) fail(s->name + ": decoded to the wrong kind");
    if (spec.kind == EventKind::book &&
        (s->expected.book.bid_count != 16 || s->expected.book.ask_count != 16)) {
      fail(s->name + ": expected 16 levels per side");
    }
    s->expected_text = event_text(s->expected);
    w.samples.push_back(std::move(s));
  }

  for (const auto& s : w.samples) {
    const std::string base = "BM_Decode/" + s->name + "/";
    benchmark::RegisterBenchmark((base + "mde").c_str(), bm_mde, s.get());
    benchmark::RegisterBenchmark((base + "rapidjson").c_str(), bm_rapidjson, s.get());
    benchmark::RegisterBenchmark((base + "nlohmann").c_str(), bm_nlohmann, s.get());
  }

  benchmark::AddCustomContext("simdjson_inline_kernel", coinone::inline_simd_kernel());
  benchmark::AddCustomContext("simdjson_runtime_kernel", coinone::runtime_simd_kernel());
  benchmark::AddCustomContext("mde_native", MDE_BENCH_NATIVE ? "ON (-march=native)" : "OFF");
  benchmark::AddCustomContext("rapidjson", RAPIDJSON_VERSION_STRING);
  benchmark::AddCustomContext(
      "nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                           std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                           std::to_string(NLOHMANN_JSON_VERSION_PATCH));
  benchmark::AddCustomContext("frames", path);
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

// The synthetic Coinone generator behind `mde gen`: determinism, decodability, shape.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "capture_test_util.hpp"
#include "mde/core/frame.hpp"
#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "mde/sample/coinone_generator.hpp"

namespace mde::sample {
namespace {

std::string generate_bytes(GenKind kind, std::uint64_t seed, int frames) {
  CoinoneGenerator gen({.kind = kind, .seed = seed});
  std::string all;
  for (int i = 0; i < frames; ++i) {
    const GenFrame f = gen.next();
    all += std::to_string(f.receive_ns);
    all += ' ';
    all += std::to_string(f.connection);
    all += ' ';
    all += f.text;
    all += '\n';
  }
  return all;
}

class GeneratorKinds : public ::testing::TestWithParam<GenKind> {};

// The index of the first differing byte (for a short failure message), or npos.
std::size_t first_difference(const std::string& a, const std::string& b) {
  const auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return ia == a.end() && ib == b.end() ? std::string::npos
                                        : static_cast<std::size_t>(ia - a.begin());
}

TEST_P(GeneratorKinds, SameSeedGivesTheSameBytes) {
  const std::string a = generate_bytes(GetParam(), 42, 3000);
  const std::string b = generate_bytes(GetParam(), 42, 3000);
  EXPECT_EQ(first_difference(a, b), std::string::npos);
  EXPECT_NE(first_difference(generate_bytes(GetParam(), 42, 300),
                             generate_bytes(GetParam(), 43, 300)),
            std::string::npos);
}

TEST_P(GeneratorKinds, EveryFrameDecodes) {
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  CoinoneGenerator gen({.kind = GetParam(), .seed = 7});
  PaddedBuffer buffer(1 << 16);
  Event event;
  std::int64_t last_ns = 0;
  int rejected = 0;
  std::uint64_t seen[8] = {};
  for (int i = 0; i < 6000; ++i) {
    const GenFrame f = gen.next();
    ASSERT_TRUE(buffer.assign(f.text));
    const DecodeResult r = decoder.decode(buffer.view(), event);
    if (!r.ok()) {
      ++rejected;
      ADD_FAILURE() << to_string(r.status) << " (" << r.field << "): " << f.text;
      if (rejected > 5) return;
      continue;
    }
    ++seen[static_cast<int>(event.header.kind)];
    EXPECT_GT(f.receive_ns, last_ns) << "receive times must increase";
    last_ns = f.receive_ns;
  }
  EXPECT_EQ(rejected, 0);
  EXPECT_GT(seen[static_cast<int>(EventKind::book)], 0u);
  EXPECT_GT(seen[static_cast<int>(EventKind::trade)], 0u);
  EXPECT_GT(seen[static_cast<int>(EventKind::control)], 0u);
  if (GetParam() == GenKind::mixed) {
    EXPECT_GT(seen[static_cast<int>(EventKind::order)], 0u);
    EXPECT_GT(seen[static_cast<int>(EventKind::asset)], 0u);
    EXPECT_GT(seen[static_cast<int>(EventKind::ticker)], 0u);
  }
  EXPECT_EQ(gen.counts().total(), 6000u);
}

// FNV-1a 64 over the first frames of a kind: pins the generator's exact bytes, so moving or
// refactoring it (the simulator shares it) cannot silently change the captures a seed gives.
std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

TEST_P(GeneratorKinds, BytesForSeed42MatchTheRecordedHash) {
  std::uint64_t expected = 0;
  switch (GetParam()) {
    case GenKind::trade_heavy: expected = 0x1b11dd87abe85cacull; break;
    case GenKind::book_heavy: expected = 0x4d7b7ed97c77b94aull; break;
    case GenKind::mixed: expected = 0x3daf8f93055c1e27ull; break;  // stops triggered at their own time
  }
  EXPECT_EQ(fnv1a(generate_bytes(GetParam(), 42, 20000)), expected)
      << std::hex << "0x" << fnv1a(generate_bytes(GetParam(), 42, 20000));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, GeneratorKinds,
                         ::testing::Values(GenKind::trade_heavy, GenKind::book_heavy,
                                           GenKind::mixed),
                         [](const auto& param_info) {
                           std::string name(to_string(param_info.param));
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(Generator, KindNamesParse) {
  GenKind k{};
  EXPECT_TRUE(parse_gen_kind("trade-heavy", k));
  EXPECT_EQ(k, GenKind::trade_heavy);
  EXPECT_TRUE(parse_gen_kind("book-heavy", k));
  EXPECT_EQ(k, GenKind::book_heavy);
  EXPECT_TRUE(parse_gen_kind("mixed", k));
  EXPECT_EQ(k, GenKind::mixed);
  EXPECT_FALSE(parse_gen_kind("trades", k));
}

TEST(Generator, BooksHaveSixteenLevelsAsksWorstFirstBidsBestFirstAndRisingIds) {
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  CoinoneGenerator gen({.kind = GenKind::book_heavy, .seed = 3});
  PaddedBuffer buffer(1 << 16);
  Event e;
  std::vector<std::uint64_t> last_id(64, 0);
  int books = 0;
  for (int i = 0; i < 3000; ++i) {
    const GenFrame f = gen.next();
    ASSERT_TRUE(buffer.assign(f.text));
    ASSERT_TRUE(decoder.decode(buffer.view(), e).ok()) << f.text;
    if (e.header.kind != EventKind::book) continue;
    ++books;
    const BookUpdate& b = e.book;
    ASSERT_EQ(b.ask_count, 16);
    ASSERT_EQ(b.bid_count, 16);
    for (int l = 1; l < 16; ++l) {
      EXPECT_GT(b.asks[l - 1].price, b.asks[l].price) << "asks run worst (highest) first";
      EXPECT_GT(b.bids[l - 1].price, b.bids[l].price) << "bids run best (highest) first";
    }
    EXPECT_LT(b.bids[0].price, b.asks[15].price) << "book must not be crossed";
    // <ms><3-digit counter>: the ms part is the frame's timestamp.
    EXPECT_EQ(static_cast<std::int64_t>(b.id / 1000) * 1'000'000, e.header.exchange_ns);
    const std::size_t inst = e.header.instrument;
    ASSERT_LT(inst, last_id.size());
    EXPECT_GE(b.id, last_id[inst]);  // equal only for a duplicate-subscribe repeat
    last_id[inst] = b.id;
  }
  EXPECT_GT(books, 2000);
}

TEST(Generator, MixesShortAndDefaultFormats) {
  CoinoneGenerator gen({.kind = GenKind::mixed, .seed = 11});
  int brief = 0, full = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string_view t = gen.next().text;
    if (t.starts_with(R"({"r":"DATA")")) ++brief;
    if (t.starts_with(R"({"response_type":"DATA")")) ++full;
  }
  EXPECT_GT(brief, 200);
  EXPECT_GT(full, 200);
}

// The order events among the first `frames` frames of the mixed generator, decoded, with the
// frame each came from.
struct GeneratedOrderEvent {
  Event event;
  std::string text;
};
std::vector<GeneratedOrderEvent> generated_order_events(std::uint64_t seed, int frames) {
  CoinoneGenerator gen({.kind = GenKind::mixed, .seed = seed});
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  PaddedBuffer buffer(1 << 16);
  std::vector<GeneratedOrderEvent> events;
  Event e;
  for (int i = 0; i < frames; ++i) {
    const GenFrame f = gen.next();
    if (!buffer.assign(f.text) || !decoder.decode(buffer.view(), e).ok()) {
      ADD_FAILURE() << "undecodable: " << f.text;
      return events;
    }
    if (e.header.kind != EventKind::order) continue;
    EXPECT_EQ(f.connection, kPrivateConnection);
    events.push_back({e, std::string(f.text)});
  }
  return events;
}

TEST(Generator, OrderLifecyclesEndInTradeDoneRepeatingTheFinalFill) {
  struct Last {
    std::string order_id, trade_id, qty;
  };
  std::vector<Last> last_fill;
  int done = 0, cancels = 0, post_only = 0, watches = 0, waits = 0;
  for (const auto& [e, text] : generated_order_events(5, 40000)) {
    const OrderEvent& o = e.order;
    const std::string id(o.order_id.view());
    switch (o.type) {
      case OrderEventType::fill:
        last_fill.push_back({id, std::string(o.trade_id.view()), o.executed_qty.to_string()});
        break;
      case OrderEventType::filled: {
        ++done;
        const Last* match = nullptr;
        for (const Last& l : last_fill) {
          if (l.order_id == id) match = &l;
        }
        ASSERT_NE(match, nullptr) << "trade_done without a fill: " << text;
        EXPECT_EQ(match->trade_id, o.trade_id.view());
        EXPECT_EQ(match->qty, o.executed_qty.to_string());
        break;
      }
      case OrderEventType::cancelled: ++cancels; break;
      case OrderEventType::cancelled_post_only: ++post_only; break;
      case OrderEventType::pending_trigger: ++watches; break;
      case OrderEventType::open: ++waits; break;
      default: ADD_FAILURE() << text;
    }
  }
  EXPECT_GT(done, 20);
  EXPECT_GT(cancels, 5);
  EXPECT_GT(post_only, 0);
  EXPECT_GT(watches, 0);
  EXPECT_GT(waits, done);
}

// A7.4's examples: a wait carries the time the order started resting as order_timestamp (equal to
// its timestamp), every fill repeats it; a stop order's watch has none, and once triggered its
// wait carries the trigger's time, not the watch's.
TEST(Generator, EveryWaitCarriesItsOwnTimeAsOrderTimeAndEveryFillRepeatsIt) {
  std::map<std::string, std::int64_t> resting_since;  // order id -> its wait's order_ns
  std::set<std::string> watched;
  int triggered = 0, fills = 0;
  for (const auto& [e, text] : generated_order_events(5, 40000)) {
    const OrderEvent& o = e.order;
    const std::string id(o.order_id.view());
    switch (o.type) {
      case OrderEventType::pending_trigger:
        EXPECT_EQ(o.order_ns, 0) << text;
        watched.insert(id);
        break;
      case OrderEventType::open:
        EXPECT_EQ(o.order_ns, e.header.exchange_ns) << text;
        resting_since[id] = o.order_ns;
        triggered += watched.count(id) != 0 ? 1 : 0;
        break;
      case OrderEventType::fill:
      case OrderEventType::filled:
        ASSERT_TRUE(resting_since.count(id) != 0) << "a fill of an order never seen waiting: "
                                                  << text;
        EXPECT_EQ(o.order_ns, resting_since[id]) << text;
        ++fills;
        break;
      default: break;
    }
  }
  EXPECT_GT(triggered, 0);
  EXPECT_GT(fills, 50);
}

TEST(Generator, NativeCaptureOfGeneratedFramesReadsBackIdentically) {
  capture::testing::TempFile file(".mdecap");
  CoinoneGenerator gen({.kind = GenKind::mixed, .seed = 9});
  std::vector<std::string> frames;
  {
    capture::CaptureWriter writer;
    ASSERT_EQ(writer.open(file.path, {.flags = capture::kFlagSynthetic, .created_ns = 1}),
              capture::WriteStatus::ok);
    for (int i = 0; i < 2000; ++i) {
      const GenFrame f = gen.next();
      frames.emplace_back(f.text);
      ASSERT_EQ(writer.try_append(f.receive_ns, f.connection, f.text), capture::WriteStatus::ok);
    }
    ASSERT_EQ(writer.try_close(), capture::WriteStatus::ok);
  }
  capture::CaptureReader reader;
  ASSERT_EQ(reader.open(file.path), capture::OpenError::ok);
  capture::CaptureRecord r{};
  std::size_t i = 0;
  while (reader.next(r)) {
    ASSERT_LT(i, frames.size());
    EXPECT_EQ(r.frame.text(), frames[i]);
    ++i;
  }
  EXPECT_EQ(i, frames.size());
  EXPECT_TRUE(reader.stop().clean());
}

}  // namespace
}  // namespace mde::sample

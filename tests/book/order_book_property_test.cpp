// Property test: random sequences of snapshots and deltas (in and out of order, gapped, crossed,
// overflowing, with zero and negative quantities and repeated prices) never break the book's
// invariants, a live book always equals a reference model built with std::map, and last_change()
// never hides a change. Deterministic: fixed seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "mde/book/order_book.hpp"

namespace mde {
namespace {

using ModelSide = std::map<std::int64_t, std::int64_t, std::function<bool(std::int64_t, std::int64_t)>>;

struct Model {
  ModelSide bids{std::greater<>()};
  ModelSide asks{std::less<>()};
  bool valid = false;  // false after a partly applied (overflowing or malformed) delta
};

Decimal price_of(std::int64_t tick) { return Decimal::from_mantissa(tick * 50'000'000); }  // 0.5

void check_side(std::span<const PriceLevel> side, bool descending, const ModelSide& model,
                bool compare) {
  ASSERT_LE(side.size(), OrderBook::kCapacity);
  for (std::size_t i = 0; i < side.size(); ++i) {
    ASSERT_GT(side[i].qty.mantissa(), 0) << "level " << i << " has no quantity";
    if (i != 0) {
      if (descending) ASSERT_LT(side[i].price, side[i - 1].price) << "bids unsorted at " << i;
      else ASSERT_GT(side[i].price, side[i - 1].price) << "asks unsorted at " << i;
    }
  }
  if (!compare) return;
  ASSERT_EQ(side.size(), model.size());
  std::size_t i = 0;
  for (const auto& [price, qty] : model) {
    ASSERT_EQ(side[i].price.mantissa(), price) << "level " << i;
    ASSERT_EQ(side[i].qty.mantissa(), qty) << "level " << i;
    ++i;
  }
}

// Levels above `from` must be exactly what they were before the update.
void check_change(const std::vector<PriceLevel>& before, std::span<const PriceLevel> after,
                  std::uint8_t from) {
  const std::size_t keep =
      from == BookChange::kNone ? std::max(before.size(), after.size()) : from;
  if (from == BookChange::kNone) {
    ASSERT_EQ(before.size(), after.size());
  }
  for (std::size_t i = 0; i < keep && i < before.size(); ++i) {
    ASSERT_LT(i, after.size()) << "a level above the reported change disappeared";
    ASSERT_EQ(before[i].price, after[i].price) << "unreported change at " << i;
    ASSERT_EQ(before[i].qty, after[i].qty) << "unreported change at " << i;
  }
}

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(int percent) { return uniform(1, 100) <= percent; }

  PriceLevel level(std::int64_t lo_tick, std::int64_t hi_tick, int zero_percent) {
    const std::int64_t qty = chance(zero_percent) ? 0 : uniform(1, 1000) * 1'000'000;
    return {price_of(uniform(lo_tick, hi_tick)),
            Decimal::from_mantissa(chance(1) ? -qty - 1 : qty)};
  }

  // Mid around tick 1000; bids below, asks above, with an occasional level across.
  BookUpdate snapshot(std::uint64_t id) {
    BookUpdate u{};
    u.id = id;
    u.action = BookAction::snapshot;
    const bool wide = chance(10);  // sometimes enough levels to nearly fill the book
    u.bid_count = static_cast<std::uint8_t>(uniform(0, wide ? 64 : 20));
    u.ask_count = static_cast<std::uint8_t>(uniform(0, wide ? 64 : 20));
    const std::int64_t cross = chance(3) ? 5 : 0;
    const int zeros = chance(50) ? 0 : 5;  // half the snapshots without empty levels
    for (std::size_t i = 0; i < u.bid_count; ++i) u.bids[i] = level(900, 999 + cross, zeros);
    for (std::size_t i = 0; i < u.ask_count; ++i) u.asks[i] = level(1001 - cross, 1100, zeros);
    // Distinct prices most of the time, so most snapshots are valid.
    if (!chance(5)) {
      dedupe(u.bids, u.bid_count);
      dedupe(u.asks, u.ask_count);
    }
    // The wire orders the book has fast paths for: sorted best-first, or worst-first.
    order(u.bids, u.bid_count, uniform(0, 2));
    order(u.asks, u.ask_count, uniform(0, 2));
    return u;
  }

  BookUpdate delta(std::uint64_t id, std::uint64_t prev_id) {
    BookUpdate u{};
    u.id = id;
    u.prev_id = prev_id;
    u.action = BookAction::delta;
    u.bid_count = static_cast<std::uint8_t>(uniform(0, 6));
    u.ask_count = static_cast<std::uint8_t>(u.bid_count == 0 ? uniform(1, 6) : uniform(0, 6));
    const std::int64_t cross = chance(2) ? 3 : 0;
    for (std::size_t i = 0; i < u.bid_count; ++i) u.bids[i] = level(900, 999 + cross, 30);
    for (std::size_t i = 0; i < u.ask_count; ++i) u.asks[i] = level(1001 - cross, 1100, 30);
    return u;
  }

 private:
  // 0: leave as generated; 1: ascending; 2: descending.
  static void order(PriceLevel* levels, std::uint8_t count, std::int64_t how) {
    if (how == 0) return;
    std::sort(levels, levels + count, [how](const PriceLevel& a, const PriceLevel& b) {
      return how == 1 ? a.price < b.price : a.price > b.price;
    });
  }

  static void dedupe(PriceLevel* levels, std::uint8_t& count) {
    std::uint8_t n = 0;
    for (std::uint8_t i = 0; i < count; ++i) {
      bool seen = false;
      for (std::uint8_t j = 0; j < n; ++j) seen = seen || levels[j].price == levels[i].price;
      if (!seen) levels[n++] = levels[i];
    }
    count = n;
  }

  std::mt19937_64 rng_;
};

void apply_to_model(const BookUpdate& u, Model& m) {
  if (u.action == BookAction::snapshot) {
    m.bids.clear();
    m.asks.clear();
    for (std::size_t i = 0; i < u.bid_count; ++i) {
      if (u.bids[i].qty.mantissa() > 0) m.bids[u.bids[i].price.mantissa()] = u.bids[i].qty.mantissa();
    }
    for (std::size_t i = 0; i < u.ask_count; ++i) {
      if (u.asks[i].qty.mantissa() > 0) m.asks[u.asks[i].price.mantissa()] = u.asks[i].qty.mantissa();
    }
    m.valid = true;
    return;
  }
  auto patch = [](ModelSide& side, const PriceLevel* levels, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (levels[i].qty.is_zero()) side.erase(levels[i].price.mantissa());
      else side[levels[i].price.mantissa()] = levels[i].qty.mantissa();
    }
  };
  patch(m.bids, u.bids, u.bid_count);
  patch(m.asks, u.asks, u.ask_count);
}

TEST(OrderBookProperty, RandomUpdatesKeepInvariantsAndMatchReferenceModel) {
  std::uint64_t applied = 0, stale_events = 0, snapshots = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    Generator gen(seed);
    OrderBook book;
    Model model;
    std::uint64_t next_id = 1;
    for (int step = 0; step < 4000; ++step) {
      SCOPED_TRACE(testing::Message() << "step " << step);
      // Mostly a well-chained delta; sometimes a gap, a repeat, a snapshot (new or old id).
      BookUpdate u;
      const std::int64_t kind = gen.uniform(1, 100);
      if (kind <= 8 || book.status() == BookStatus::resyncing) {
        const std::uint64_t id = gen.chance(10) && book.last_id() > 0 ? book.last_id() : next_id++;
        u = gen.snapshot(id);
      } else if (kind <= 10) {
        u = gen.delta(next_id + 1, next_id);  // skips one: a gap
        next_id += 2;
      } else if (kind <= 12 && book.last_id() > 0) {
        u = gen.delta(book.last_id(), book.last_id() - 1);  // a repeat
      } else {
        u = gen.delta(next_id, book.last_id());
        ++next_id;
      }

      const BookStatus before_status = book.status();
      const std::uint64_t before_id = book.last_id();
      const std::vector<PriceLevel> before_bids(book.bids().begin(), book.bids().end());
      const std::vector<PriceLevel> before_asks(book.asks().begin(), book.asks().end());
      const BookApply r = book.apply(u);

      // The id rules, stated independently of the implementation.
      if (u.action == BookAction::snapshot && before_status != BookStatus::empty &&
          u.id <= before_id) {
        ASSERT_EQ(r, BookApply::dropped_old_id);
      }
      if (u.action == BookAction::delta) {
        if (before_status == BookStatus::stale || before_status == BookStatus::resyncing) {
          ASSERT_EQ(r, BookApply::dropped_not_live);
        } else if (before_status == BookStatus::live && u.id > before_id &&
                   u.prev_id != before_id) {
          ASSERT_EQ(r, BookApply::gap);
        }
      }
      if (r == BookApply::dropped_old_id || r == BookApply::dropped_not_live ||
          r == BookApply::gap) {
        ASSERT_EQ(book.last_id(), before_id);
      }

      if (r == BookApply::applied || r == BookApply::crossed) {
        apply_to_model(u, model);
        ++applied;
      } else if (r == BookApply::overflow ||
                 (r == BookApply::malformed && u.action == BookAction::delta)) {
        model.valid = false;  // partly applied; the book is stale until a snapshot
      }
      if (r == BookApply::malformed && u.action == BookAction::snapshot) {
        // A refused snapshot touches no level.
        check_change(before_bids, book.bids(), BookChange::kNone);
        check_change(before_asks, book.asks(), BookChange::kNone);
      }
      if (book.status() != BookStatus::live) ++stale_events;
      if (u.action == BookAction::snapshot && r == BookApply::applied) ++snapshots;

      const bool live = book.live();
      if (live) {
        ASSERT_TRUE(model.valid);
      }
      check_side(book.bids(), true, model.bids, live);
      check_side(book.asks(), false, model.asks, live);
      if (live && !book.bids().empty() && !book.asks().empty()) {
        ASSERT_LT(book.bids()[0].price, book.asks()[0].price) << "live book is crossed";
      }
      check_change(before_bids, book.bids(), book.last_change().bids_from);
      check_change(before_asks, book.asks(), book.last_change().asks_from);
      ASSERT_EQ(book.last_change().result, r);
      if (HasFatalFailure()) return;

      // The engine acknowledges resync requests most of the time.
      if (book.resync_requested() && gen.chance(70)) {
        ASSERT_TRUE(book.mark_resyncing());
      }
    }
  }
  // The generator must actually exercise every path, or the test proves little.
  EXPECT_GT(applied, 10'000u);
  EXPECT_GT(snapshots, 500u);
  EXPECT_GT(stale_events, 100u);
}

TEST(OrderBookProperty, GeneratorReachesEveryOutcome) {
  std::map<BookApply, int> seen;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    Generator gen(seed);
    OrderBook book;
    std::uint64_t next_id = 1;
    for (int step = 0; step < 4000; ++step) {
      const std::int64_t kind = gen.uniform(1, 100);
      BookUpdate u;
      if (kind <= 8 || !book.live()) {
        u = gen.snapshot(gen.chance(10) && book.last_id() > 0 ? book.last_id() : next_id++);
      } else if (kind <= 10) {
        u = gen.delta(next_id + 1, next_id);
        next_id += 2;
      } else {
        u = gen.delta(next_id++, book.last_id());
      }
      ++seen[book.apply(u)];
      if (book.resync_requested()) (void)book.mark_resyncing();
      if (gen.chance(1)) (void)book.apply(gen.delta(next_id++, book.last_id()));  // not live
    }
  }
  for (BookApply a : {BookApply::applied, BookApply::dropped_old_id, BookApply::gap,
                      BookApply::crossed, BookApply::overflow, BookApply::malformed}) {
    EXPECT_GT(seen[a], 0) << to_string(a);
  }
}

}  // namespace
}  // namespace mde

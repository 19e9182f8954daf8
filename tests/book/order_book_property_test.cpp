// Property test: the incremental book against a reference model written with std::map.
//
// Random streams of snapshots (Coinone style, and BTSE's resetting ones) and deltas, split into
// parts as a decoder publishes them, with gaps, duplicates, older ids, crossed books, negative
// quantities, repeated prices, transient growth inside a part, overflow past the capacity, and
// updates whose last part went missing. After every event the book must give the model's result,
// status, stale reason and last id, hold the model's levels whenever the model knows them, keep
// its invariants, and never hide a change in last_change(). Deterministic: fixed seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "mde/book/order_book.hpp"

namespace mde {
namespace {

using ModelSide = std::map<std::int64_t, std::int64_t, std::function<bool(std::int64_t, std::int64_t)>>;

Decimal price_of(std::int64_t tick) { return Decimal::from_mantissa(tick * 50'000'000); }  // 0.5

// The rules of order_book.hpp, written out plainly over maps.
struct Model {
  ModelSide bids{std::greater<>()};
  ModelSide asks{std::less<>()};
  bool levels_known = true;  // false after a partly applied (overflowing / malformed) update
  BookStatus status = BookStatus::empty;
  StaleReason reason = StaleReason::none;
  std::uint64_t last_id = 0;
  std::uint32_t older = 0;
  bool open = false, open_snapshot = false, open_resets = false;

  void stale(StaleReason why) {
    if (status == BookStatus::stale) return;
    status = BookStatus::stale;
    reason = why;
  }
  BookApply fail(BookApply result, StaleReason why) {
    stale(why);
    return result;
  }

  // Applies one side of a part; returns applied, malformed or overflow.
  static BookApply patch(ModelSide& side, const PriceLevel* in, std::size_t n, bool snapshot) {
    for (std::size_t i = 0; i < n; ++i) {
      if (in[i].qty.is_negative()) return BookApply::malformed;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto price = static_cast<std::int64_t>(in[i].price.mantissa());  // small in tests
      if (in[i].qty.is_zero()) {
        if (!snapshot) side.erase(price);
      } else {
        side[price] = static_cast<std::int64_t>(in[i].qty.mantissa());
      }
    }
    return side.size() > OrderBook::kCapacity ? BookApply::overflow : BookApply::applied;
  }

  BookApply levels(const BookUpdate& u, bool snapshot) {
    BookApply r = patch(bids, u.bids, u.bid_count, snapshot);
    if (r == BookApply::applied) r = patch(asks, u.asks, u.ask_count, snapshot);
    if (r != BookApply::applied) {
      levels_known = false;
      open = false;
      return fail(r, r == BookApply::overflow ? StaleReason::overflow : StaleReason::malformed);
    }
    return r;
  }

  BookApply finish() {
    older = 0;
    if (!open_resets && !bids.empty() && !asks.empty() && bids.begin()->first >= asks.begin()->first) {
      return fail(BookApply::crossed, StaleReason::crossed);
    }
    if (status != BookStatus::live) {
      status = BookStatus::live;
      reason = StaleReason::none;
    }
    return BookApply::applied;
  }

  BookApply apply(const BookUpdate& u) {
    const bool more = u.has_more_parts();
    if (u.is_continuation()) {
      if (!open) return BookApply::dropped_part;
      open = more;
      const BookApply r = levels(u, open_snapshot);
      if (r != BookApply::applied) return r;
      return open ? BookApply::pending : finish();
    }
    if (open) {
      open = false;
      levels_known = false;
      stale(StaleReason::malformed);
    }
    if (u.action == BookAction::snapshot) {
      const bool resets = (u.part_flags & kBookSnapshotResets) != 0;
      if (!resets && status == BookStatus::live && u.id <= last_id) {
        if (u.id < last_id && ++older >= OrderBook::kMaxOlderSnapshots) {
          older = 0;
          return fail(BookApply::ids_went_backwards, StaleReason::ids_went_backwards);
        }
        return BookApply::dropped_old_id;
      }
      // A first part with a negative quantity or a price twice (among non-empty levels) is
      // refused whole.
      auto bad = [](const PriceLevel* in, std::size_t n) {
        std::set<std::int64_t> seen;
        for (std::size_t i = 0; i < n; ++i) {
          if (in[i].qty.is_negative()) return true;
          const auto price = static_cast<std::int64_t>(in[i].price.mantissa());
          if (in[i].qty.mantissa() > 0 && !seen.insert(price).second) return true;
        }
        return false;
      };
      if (bad(u.bids, u.bid_count) || bad(u.asks, u.ask_count)) {
        return fail(BookApply::malformed, StaleReason::malformed);
      }
      bids.clear();
      asks.clear();
      (void)patch(bids, u.bids, u.bid_count, true);
      (void)patch(asks, u.asks, u.ask_count, true);
      levels_known = true;
      last_id = u.id;
      open_snapshot = true;
      open_resets = resets;
    } else {
      if (u.id <= last_id) {
        if (status == BookStatus::live && u.id < last_id &&
            ++older >= OrderBook::kMaxOlderSnapshots) {
          older = 0;
          return fail(BookApply::ids_went_backwards, StaleReason::ids_went_backwards);
        }
        return BookApply::dropped_old_id;
      }
      if (status == BookStatus::resyncing) return BookApply::gap;
      if (status != BookStatus::live || u.prev_id != last_id) {
        return fail(BookApply::gap, StaleReason::gap);
      }
      open = more;  // so that a failure closes it
      const BookApply r = levels(u, false);
      if (r != BookApply::applied) return r;
      last_id = u.id;
      open_snapshot = false;
      open_resets = false;
    }
    open = more;
    return more ? BookApply::pending : finish();
  }
};

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
                  std::uint16_t from) {
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

enum class Venue3 { btse, coinone, mixed };

// One update before it is split into parts: unique prices per side (mostly).
struct Update {
  BookAction action = BookAction::delta;
  std::uint64_t id = 0, prev_id = 0;
  bool resets = false;
  std::vector<PriceLevel> bids, asks;
};

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(int per_mille) { return uniform(1, 1000) <= per_mille; }

  Decimal qty(int zero_per_mille) {
    if (chance(zero_per_mille)) return Decimal{};
    return Decimal::from_mantissa(uniform(1, 1000) * 1'000'000);
  }

  // Once in a while (per update, not per level) one quantity turns negative: malformed.
  void maybe_negative(std::vector<PriceLevel>& side) {
    if (side.empty() || !chance(8)) return;
    PriceLevel& l = side[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(side.size()) - 1))];
    l.qty = Decimal::from_mantissa(-l.qty.mantissa() - 1);
  }

  // `n` distinct prices in [lo, hi] (fewer if the range is small), in random order.
  std::vector<std::int64_t> ticks(std::size_t n, std::int64_t lo, std::int64_t hi) {
    std::vector<std::int64_t> all;
    for (std::int64_t t = lo; t <= hi; ++t) all.push_back(t);
    std::shuffle(all.begin(), all.end(), rng_);
    all.resize(std::min(n, all.size()));
    return all;
  }

  // Mid around tick 1000; bids 700..999 and asks 1001..1300 (300 prices a side: more than the
  // capacity), with an occasional level across.
  Update snapshot(std::uint64_t id, bool resets) {
    Update u;
    u.action = BookAction::snapshot;
    u.id = id;
    u.resets = resets;
    const bool wide = chance(150);  // several parts, up to the whole capacity
    const std::int64_t cross = chance(30) ? 5 : 0;
    const int zeros = chance(500) ? 0 : 50;
    auto side = [&](std::vector<PriceLevel>& out, std::int64_t lo, std::int64_t hi) {
      const auto n = static_cast<std::size_t>(wide ? uniform(65, 256) : uniform(0, 20));
      for (std::int64_t t : ticks(n, lo, hi)) out.push_back({price_of(t), qty(zeros)});
      if (chance(50) && !out.empty()) out.push_back({out.front().price, qty(0)});  // a repeat
      const std::int64_t how = uniform(0, 2);  // as generated, ascending or descending
      if (how != 0) {
        std::sort(out.begin(), out.end(), [how](const PriceLevel& a, const PriceLevel& b) {
          return how == 1 ? a.price < b.price : a.price > b.price;
        });
      }
    };
    side(u.bids, 700, 999 + cross);
    side(u.asks, 1001 - cross, 1300);
    maybe_negative(u.bids);
    maybe_negative(u.asks);
    return u;
  }

  // Small deltas mostly; sometimes a big one that changes, deletes and adds many levels.
  Update delta(std::uint64_t id, std::uint64_t prev_id, const Model& m) {
    Update u;
    u.id = id;
    u.prev_id = prev_id;
    const bool big = chance(60);
    const std::int64_t cross = chance(20) ? 3 : 0;
    auto side = [&](std::vector<PriceLevel>& out, const ModelSide& now, std::int64_t lo,
                    std::int64_t hi) {
      const auto n = static_cast<std::size_t>(big ? uniform(40, 150) : uniform(0, 6));
      std::vector<std::int64_t> existing;
      for (const auto& [price, q] : now) existing.push_back(price / 50'000'000);
      std::shuffle(existing.begin(), existing.end(), rng_);
      std::set<std::int64_t> used;
      // Deletions of existing levels, then new quantities and new prices.
      const bool grow = big && chance(400);  // only additions: may pass the capacity
      const std::size_t deletes = big && !grow ? static_cast<std::size_t>(uniform(0, 90)) : 0;
      for (std::size_t i = 0; i < deletes && i < existing.size(); ++i) {
        used.insert(existing[i]);
        out.push_back({price_of(existing[i]), Decimal{}});
      }
      for (std::int64_t t : ticks(n, lo, hi)) {
        if (used.insert(t).second) out.push_back({price_of(t), qty(grow ? 0 : 300)});
      }
      // The decoder sends deletions first across the parts of one update.
      std::stable_partition(out.begin(), out.end(),
                            [](const PriceLevel& l) { return l.qty.is_zero(); });
    };
    side(u.bids, m.bids, 700, 999 + cross);
    side(u.asks, m.asks, 1001 - cross, 1300);
    maybe_negative(u.bids);
    maybe_negative(u.asks);
    if (u.bids.empty() && u.asks.empty()) u.asks.push_back({price_of(1200), qty(0)});
    return u;
  }

  // Splits an update into BookUpdate parts of at most kMaxBookLevels levels a side (sometimes
  // fewer), shuffling each delta part so that a part's inserts may come before its deletes.
  std::vector<BookUpdate> parts(const Update& in) {
    constexpr auto kLevels = static_cast<std::int64_t>(kMaxBookLevels);
    const std::size_t chunk =
        chance(200) ? static_cast<std::size_t>(uniform(1, kLevels)) : kMaxBookLevels;
    const std::size_t n = std::max<std::size_t>(
        {1, (in.bids.size() + chunk - 1) / chunk, (in.asks.size() + chunk - 1) / chunk});
    std::vector<BookUpdate> out(n);
    for (std::size_t p = 0; p < n; ++p) {
      BookUpdate& u = out[p];
      u = BookUpdate{};
      u.id = in.id;
      u.prev_id = in.prev_id;
      u.action = in.action;
      u.part_flags = static_cast<std::uint8_t>((p + 1 < n ? kBookPartMore : 0) |
                                               (p != 0 ? kBookPartContinued : 0) |
                                               (in.resets && p == 0 ? kBookSnapshotResets : 0));
      auto fill = [&](PriceLevel* dst, std::uint8_t& count, const std::vector<PriceLevel>& src) {
        count = 0;
        for (std::size_t i = p * chunk; i < src.size() && i < (p + 1) * chunk; ++i) {
          dst[count++] = src[i];
        }
        if (in.action == BookAction::delta && chance(500)) std::shuffle(dst, dst + count, rng_);
      };
      fill(u.bids, u.bid_count, in.bids);
      fill(u.asks, u.ask_count, in.asks);
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

struct Coverage {
  std::map<BookApply, int> results;
  std::map<StaleReason, int> reasons;
  int multi_part_applied = 0;
  int transient_growth = 0;  // parts whose inserts alone would have passed the capacity
  int truncated = 0;
};

void run_stream(std::uint64_t seed, Venue3 venue, Coverage& cov) {
  Generator gen(seed);
  OrderBook book;
  Model model;
  std::uint64_t next_id = 1;
  std::vector<PriceLevel> start_bids, start_asks;  // levels before the current update
  int burst = 0;
  for (int step = 0; step < 3000; ++step) {
    SCOPED_TRACE(testing::Message() << "step " << step);
    Update up;
    const std::int64_t kind = gen.uniform(1, 100);
    const bool resets = venue == Venue3::btse || (venue == Venue3::mixed && gen.chance(500));
    if (burst == 0 && venue != Venue3::btse && gen.chance(10)) burst = 3;
    if (burst > 0 && book.last_id() > 8) {
      // Snapshots older than the last applied one, in a row (rule (b)).
      --burst;
      up = gen.snapshot(book.last_id() - 1 - static_cast<std::uint64_t>(gen.uniform(0, 6)), false);
    } else if (kind <= 8 || book.status() == BookStatus::resyncing) {
      std::uint64_t id = next_id++;
      if (gen.chance(150) && book.last_id() > 2) {
        id = gen.chance(300) ? book.last_id() : book.last_id() - 1 - gen.uniform(0, 1);
      }
      if (gen.chance(10)) id = book.last_id() + 1'000'000'000;  // a bogus huge id
      up = gen.snapshot(id, resets);
    } else if (kind <= 10) {
      up = gen.delta(next_id + 1, next_id, model);  // skips one: a gap
      next_id += 2;
    } else if (kind <= 12 && book.last_id() > 0) {
      up = gen.delta(book.last_id(), book.last_id() - 1, model);  // a repeat
    } else {
      up = gen.delta(next_id, book.last_id(), model);
      next_id = std::max(next_id, book.last_id()) + 1;
    }
    std::vector<BookUpdate> parts = gen.parts(up);
    if (parts.size() > 1 && gen.chance(10)) {  // the last part never arrives
      parts.pop_back();
      ++cov.truncated;
    }

    for (std::size_t p = 0; p < parts.size(); ++p) {
      SCOPED_TRACE(testing::Message() << "part " << p << " of " << parts.size());
      const BookUpdate& u = parts[p];
      if (!u.is_continuation() || !model.open) {
        start_bids.assign(book.bids().begin(), book.bids().end());
        start_asks.assign(book.asks().begin(), book.asks().end());
      }
      std::size_t inserts = 0;
      for (std::size_t i = 0; i < u.ask_count; ++i) inserts += u.asks[i].qty.mantissa() > 0;
      const std::size_t asks_before = book.asks().size();

      const BookApply expected = model.apply(u);
      const BookApply r = book.apply(u);
      ASSERT_EQ(r, expected) << "book " << to_string(r) << ", model " << to_string(expected);
      ASSERT_EQ(book.status(), model.status);
      ASSERT_EQ(book.stale_reason(), model.reason);
      ASSERT_EQ(book.last_id(), model.last_id);
      ASSERT_EQ(book.last_change().result, r);
      check_side(book.bids(), true, model.bids, model.levels_known);
      check_side(book.asks(), false, model.asks, model.levels_known);
      if (r == BookApply::applied && !book.bids().empty() && !book.asks().empty() &&
          !model.open_resets) {
        ASSERT_LT(book.bids()[0].price, book.asks()[0].price) << "live book is crossed";
      }
      check_change(start_bids, book.bids(), book.last_change().bids_from);
      check_change(start_asks, book.asks(), book.last_change().asks_from);
      if (testing::Test::HasFatalFailure()) return;

      ++cov.results[r];
      if (r == BookApply::applied && parts.size() > 1) ++cov.multi_part_applied;
      if (u.action == BookAction::delta && r != BookApply::overflow &&
          asks_before + inserts > OrderBook::kCapacity && r != BookApply::dropped_old_id &&
          r != BookApply::gap && r != BookApply::dropped_part) {
        ++cov.transient_growth;
      }
    }
    if (book.status() == BookStatus::stale) ++cov.reasons[book.stale_reason()];

    // The engine: acknowledges most resync requests, and sometimes reports dropped events.
    if (book.resync_requested() && gen.chance(700)) {
      ASSERT_TRUE(book.mark_resyncing());
      model.status = BookStatus::resyncing;
    }
    if (gen.chance(5)) {
      const bool changed = book.mark_stale(StaleReason::dropped_upstream);
      ASSERT_EQ(changed, model.status == BookStatus::live || model.status == BookStatus::empty);
      if (changed) {
        model.open = false;
        model.stale(StaleReason::dropped_upstream);
      }
    }
  }
}

TEST(OrderBookProperty, RandomStreamsMatchTheMapModel) {
  Coverage cov;
  for (std::uint64_t seed = 1; seed <= 9; ++seed) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    run_stream(seed, static_cast<Venue3>(seed % 3), cov);
    if (HasFatalFailure()) return;
  }
  // The generator must exercise every path, or the test proves little.
  for (BookApply a : {BookApply::applied, BookApply::pending, BookApply::dropped_old_id,
                      BookApply::dropped_part, BookApply::gap, BookApply::crossed,
                      BookApply::overflow, BookApply::malformed, BookApply::ids_went_backwards}) {
    EXPECT_GT(cov.results[a], 0) << to_string(a);
  }
  for (StaleReason s : {StaleReason::gap, StaleReason::crossed, StaleReason::overflow,
                        StaleReason::malformed, StaleReason::ids_went_backwards,
                        StaleReason::dropped_upstream}) {
    EXPECT_GT(cov.reasons[s], 0) << to_string(s);
  }
  EXPECT_GT(cov.results[BookApply::applied], 10'000);
  RecordProperty("overflows", cov.results[BookApply::overflow]);
  RecordProperty("transient_growth", cov.transient_growth);
  EXPECT_GT(cov.multi_part_applied, 100);
  EXPECT_GT(cov.transient_growth, 0);
  EXPECT_GT(cov.truncated, 0);
}

}  // namespace
}  // namespace mde

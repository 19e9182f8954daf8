#include "mde/book/order_book.hpp"

#include <algorithm>
#include <cstring>

namespace mde {
namespace {

// The side's ordering: bids best = highest price, asks best = lowest.
template <bool kBid>
[[nodiscard]] constexpr bool better(Decimal a, Decimal b) noexcept {
  if constexpr (kBid) {
    return a > b;
  } else {
    return a < b;
  }
}

// One 16-byte compare (PriceLevel has no padding).
[[nodiscard]] inline bool same_level(const PriceLevel& a, const PriceLevel& b) noexcept {
  return std::memcmp(&a, &b, sizeof(PriceLevel)) == 0;
}
static_assert(sizeof(PriceLevel) == 2 * sizeof(Decimal), "same_level compares raw bytes");

// How a snapshot side arrived: every quantity positive and prices strictly in side order
// (forward) or strictly in the opposite order (reversed, Coinone's asks); anything else
// (zero or negative quantities, repeated or unordered prices) takes the general path. Two
// branch-free passes: this is what makes a well-formed 16-level snapshot cheap.
enum class WireOrder { general, forward, reversed };

template <bool kBid>
[[nodiscard]] WireOrder wire_order(const PriceLevel* in, std::size_t n) noexcept {
  bool positive = true;
  for (std::size_t i = 0; i < n; ++i) positive &= in[i].qty.mantissa() > 0;
  bool forward = true;
  bool reversed = true;
  for (std::size_t i = 1; i < n; ++i) {
    forward &= better<kBid>(in[i - 1].price, in[i].price);
    reversed &= better<kBid>(in[i].price, in[i - 1].price);
  }
  if (!positive) return WireOrder::general;
  if (forward) return WireOrder::forward;
  return reversed ? WireOrder::reversed : WireOrder::general;
}

constexpr int kMalformed = -1;

// Copies one side of a snapshot into `out`, best first, without zero-quantity levels. Returns
// the level count, or kMalformed for a negative quantity or a price given twice. The common
// wire orders (already sorted, or exactly reversed as Coinone's asks) cost one pass.
template <bool kBid>
[[nodiscard]] int normalise(const PriceLevel* in, std::size_t n, PriceLevel* out) noexcept {
  std::size_t m = 0;
  bool in_order = true;
  bool reversed = true;
  for (std::size_t i = 0; i < n; ++i) {
    const PriceLevel level = in[i];
    if (level.qty.mantissa() <= 0) {
      if (level.qty.is_negative()) return kMalformed;
      continue;  // an empty level says nothing
    }
    if (m != 0) {
      const Decimal prev = out[m - 1].price;
      in_order &= better<kBid>(prev, level.price);
      reversed &= better<kBid>(level.price, prev);
    }
    out[m++] = level;
  }
  if (in_order) return static_cast<int>(m);  // strictly ordered: no duplicates either
  if (reversed) {
    std::reverse(out, out + m);
    return static_cast<int>(m);
  }
  // Unordered (BTSE deltas are; snapshots may be): insertion sort, small n.
  for (std::size_t i = 1; i < m; ++i) {
    const PriceLevel x = out[i];
    std::size_t j = i;
    for (; j > 0 && better<kBid>(x.price, out[j - 1].price); --j) out[j] = out[j - 1];
    out[j] = x;
  }
  for (std::size_t i = 1; i < m; ++i) {
    if (out[i].price == out[i - 1].price) return kMalformed;
  }
  return static_cast<int>(m);
}

// Overwrites side[0, count) with fresh[0, m). Returns the first index that differs, or kNone
// when the side is unchanged; only the differing tail is copied. Equal prefixes are skipped
// four levels (64 bytes) per compare.
[[nodiscard]] std::uint16_t replace_side(PriceLevel* side, std::uint32_t& count,
                                        const PriceLevel* fresh, std::size_t m) noexcept {
  const std::size_t common = std::min<std::size_t>(count, m);
  std::size_t i = 0;
  while (i + 4 <= common && std::memcmp(side + i, fresh + i, 4 * sizeof(PriceLevel)) == 0) i += 4;
  while (i < common && same_level(side[i], fresh[i])) ++i;
  if (i == common && count == m) return BookChange::kNone;
  std::memcpy(side + i, fresh + i, (m - i) * sizeof(PriceLevel));
  count = static_cast<std::uint32_t>(m);
  return static_cast<std::uint16_t>(i);
}

// As replace_side, with `wire` holding the m levels worst-first.
[[nodiscard]] std::uint16_t replace_side_reversed(PriceLevel* side, std::uint32_t& count,
                                                 const PriceLevel* wire, std::size_t m) noexcept {
  const std::size_t common = std::min<std::size_t>(count, m);
  std::size_t i = 0;
  while (i < common && same_level(side[i], wire[m - 1 - i])) ++i;
  if (i == common && count == m) return BookChange::kNone;
  for (std::size_t j = i; j < m; ++j) side[j] = wire[m - 1 - j];
  count = static_cast<std::uint32_t>(m);
  return static_cast<std::uint16_t>(i);
}

[[nodiscard]] std::uint16_t replace_from_wire(PriceLevel* side, std::uint32_t& count,
                                             const PriceLevel* wire, std::size_t n,
                                             WireOrder order) noexcept {
  return order == WireOrder::forward ? replace_side(side, count, wire, n)
                                      : replace_side_reversed(side, count, wire, n);
}

// Result of setting one level: the index it touched, or one of these.
constexpr int kUnchanged = -1;
constexpr int kOverflow = -2;

// Sets the absolute quantity at `level.price` (0 deletes). Keeps the side sorted and free of
// empty levels. Forced inline: it is the body of the delta loop, and GCC keeps it out of line
// because apply_side_full calls it too (inlining measured ~5% on 10-change deltas).
template <bool kBid>
[[nodiscard, gnu::always_inline]] inline int set_level(PriceLevel* side, std::uint32_t& count,
                                                       const PriceLevel level) noexcept {
  // First index whose price is not better than level.price (lower_bound in side order).
  // Most changes land in the top levels: when the 16th level is not better than the price, the
  // index is the count of better levels among the first 15 (15 independent compares that the
  // core runs in parallel; no dependent chain, one well-predicted branch). Otherwise a
  // branch-free binary search: the comparison picks the half with a conditional move, so a
  // change deep in the book costs ~log2(n) steps without mispredictions. Measured against a
  // 4-then-8-level tiering and blocks of 8 and 32: docs/PERFORMANCE.md ("Order book").
  std::size_t lo = 0;
  std::size_t len = count;
  if (count >= 16 && !better<kBid>(side[15].price, level.price)) {
    for (std::size_t k = 0; k < 15; ++k) lo += better<kBid>(side[k].price, level.price);
    len = 0;
  }
  while (len > 1) {
    const std::size_t half = len >> 1;
    lo = better<kBid>(side[lo + half - 1].price, level.price) ? lo + half : lo;
    len -= half;
  }
  lo += len == 1 && better<kBid>(side[lo].price, level.price);
  const bool found = lo < count && side[lo].price == level.price;
  if (level.qty.is_zero()) {
    if (!found) return kUnchanged;  // BTSE deletes levels that left its window; may be absent
    std::memmove(side + lo, side + lo + 1, (count - lo - 1) * sizeof(PriceLevel));
    --count;
    return static_cast<int>(lo);
  }
  if (found) {
    if (side[lo].qty == level.qty) return kUnchanged;
    side[lo].qty = level.qty;
    return static_cast<int>(lo);
  }
  if (count == OrderBook::kCapacity) return kOverflow;
  std::memmove(side + lo + 1, side + lo, (count - lo) * sizeof(PriceLevel));
  side[lo] = level;
  ++count;
  return static_cast<int>(lo);
}

// The rare end of apply_side: an insert met a full side at entry `i`. Deletions still to come
// are applied first, then the remaining inserts (the failed one included): prices are unique per
// side within an update, so the order cannot change the result, and only the final size decides.
// Kept out of line so the common loop stays small enough to inline set_level.
template <bool kBid>
[[gnu::noinline]] BookApply apply_side_full(PriceLevel* side, std::uint32_t& count,
                                            const PriceLevel* in, std::size_t i, std::size_t n,
                                            bool snapshot, std::uint16_t& from) noexcept {
  auto touched = [&from](int at) {
    if (at >= 0 && static_cast<std::uint16_t>(at) < from) from = static_cast<std::uint16_t>(at);
  };
  for (std::size_t k = i; k < n; ++k) {
    if (in[k].qty.is_negative()) return BookApply::malformed;
    if (!snapshot && in[k].qty.is_zero()) touched(set_level<kBid>(side, count, in[k]));
  }
  for (std::size_t k = i; k < n; ++k) {
    if (in[k].qty.is_zero()) continue;
    const int at = set_level<kBid>(side, count, in[k]);
    if (at == kOverflow) return BookApply::overflow;
    touched(at);
  }
  return BookApply::applied;
}

// Applies one side of a part in wire order, recording the shallowest index touched in `from`.
// A snapshot part's zero quantities are skipped. The decoder sends deletions first, so a full
// side normally means the update really outgrows the capacity; should an insert still meet a
// full side while deletions of this part remain (inserts listed before their deletes),
// apply_side_full finishes the part deletions first.
template <bool kBid>
[[nodiscard]] BookApply apply_side(PriceLevel* side, std::uint32_t& count, const PriceLevel* in,
                                   std::size_t n, bool snapshot, std::uint16_t& from) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    if (in[i].qty.is_negative()) return BookApply::malformed;
    if (snapshot && in[i].qty.is_zero()) continue;
    const int at = set_level<kBid>(side, count, in[i]);
    if (at == kOverflow) return apply_side_full<kBid>(side, count, in, i, n, snapshot, from);
    // kUnchanged (-1) becomes 0xFFFF: never below `from`.
    from = std::min(from, static_cast<std::uint16_t>(at));
  }
  return BookApply::applied;
}

[[nodiscard]] constexpr StaleReason reason_of(BookApply a) noexcept {
  switch (a) {
    case BookApply::gap: return StaleReason::gap;
    case BookApply::crossed: return StaleReason::crossed;
    case BookApply::overflow: return StaleReason::overflow;
    case BookApply::ids_went_backwards: return StaleReason::ids_went_backwards;
    default: return StaleReason::malformed;
  }
}

[[nodiscard]] constexpr bool too_many_levels(const BookUpdate& u) noexcept {
  return u.bid_count > kMaxBookLevels || u.ask_count > kMaxBookLevels;
}

}  // namespace

BookApply OrderBook::apply(const BookUpdate& u) noexcept {
  if (u.is_continuation()) return continuation(u);
  change_ = BookChange{};
  if (open_) {
    // The previous update never got its last part: its levels are incomplete.
    open_ = false;
    ++counters_.malformed;
    (void)go_stale(BookApply::malformed);
  }
  const BookApply r = first_part(u);
  change_.result = r;
  return r;
}

BookApply OrderBook::first_part(const BookUpdate& u) noexcept {
  if (too_many_levels(u)) {
    ++counters_.malformed;
    return go_stale(BookApply::malformed);
  }
  const BookApply r = u.action == BookAction::snapshot ? apply_snapshot(u) : apply_delta(u);
  if (r != BookApply::applied) return r;
  if (u.has_more_parts()) {
    open_ = true;
    return BookApply::pending;
  }
  return finish();
}

BookApply OrderBook::continuation(const BookUpdate& u) noexcept {
  if (!open_) {
    ++counters_.part_drops;
    change_ = BookChange{};
    change_.result = BookApply::dropped_part;
    return BookApply::dropped_part;
  }
  open_ = u.has_more_parts();
  BookApply r = BookApply::malformed;
  if (too_many_levels(u)) {
    ++counters_.malformed;
  } else {
    r = apply_levels(u, open_snapshot_);
  }
  if (r != BookApply::applied) {
    open_ = false;
    r = go_stale(r);
  } else {
    ++counters_.parts;
    r = open_ ? BookApply::pending : finish();
  }
  change_.result = r;
  return r;
}

BookApply OrderBook::apply_levels(const BookUpdate& u, bool snapshot) noexcept {
  BookApply r = apply_side<true>(bids_, bid_count_, u.bids, u.bid_count, snapshot,
                                 change_.bids_from);
  if (r == BookApply::applied) {
    r = apply_side<false>(asks_, ask_count_, u.asks, u.ask_count, snapshot, change_.asks_from);
  }
  if (r == BookApply::overflow) ++counters_.overflows;
  if (r == BookApply::malformed) ++counters_.malformed;
  return r;
}

void OrderBook::enter_stale(StaleReason why) noexcept {
  if (status_ == BookStatus::stale) return;
  status_ = BookStatus::stale;
  stale_reason_ = why;
  ++counters_.resync_requests;
}

BookApply OrderBook::go_stale(BookApply why) noexcept {
  if (status_ != BookStatus::stale) change_.status_changed = true;
  enter_stale(reason_of(why));
  return why;
}

BookApply OrderBook::apply_snapshot(const BookUpdate& u) noexcept {
  const bool resets = (u.part_flags & kBookSnapshotResets) != 0;
  if (!resets && status_ == BookStatus::live && u.id <= last_id_) {
    if (u.id < last_id_ && ++older_snapshots_ >= kMaxOlderSnapshots) {
      older_snapshots_ = 0;
      ++counters_.ids_went_backwards;
      return go_stale(BookApply::ids_went_backwards);
    }
    ++counters_.old_id_drops;
    return BookApply::dropped_old_id;
  }
  const WireOrder bid_order = wire_order<true>(u.bids, u.bid_count);
  const WireOrder ask_order = wire_order<false>(u.asks, u.ask_count);
  if (bid_order != WireOrder::general && ask_order != WireOrder::general) {
    // Both sides valid and ordered one way or the other: merge straight from the update.
    change_.bids_from = replace_from_wire(bids_, bid_count_, u.bids, u.bid_count, bid_order);
    change_.asks_from = replace_from_wire(asks_, ask_count_, u.asks, u.ask_count, ask_order);
  } else {
    const int nb = normalise<true>(u.bids, u.bid_count, scratch_bids_);
    const int na = normalise<false>(u.asks, u.ask_count, scratch_asks_);
    if (nb == kMalformed || na == kMalformed) {
      ++counters_.malformed;
      return go_stale(BookApply::malformed);
    }
    change_.bids_from =
        replace_side(bids_, bid_count_, scratch_bids_, static_cast<std::size_t>(nb));
    change_.asks_from =
        replace_side(asks_, ask_count_, scratch_asks_, static_cast<std::size_t>(na));
  }
  last_id_ = u.id;
  open_snapshot_ = true;
  open_resets_ = resets;
  return BookApply::applied;
}

BookApply OrderBook::apply_delta(const BookUpdate& u) noexcept {
  if (u.id <= last_id_) {
    // A repeat is harmless, but a chain carrying on below the last applied id (restarted
    // without a snapshot) would leave a live book frozen: rule (b), as for snapshots.
    if (status_ == BookStatus::live && u.id < last_id_ &&
        ++older_snapshots_ >= kMaxOlderSnapshots) {
      older_snapshots_ = 0;
      ++counters_.ids_went_backwards;
      return go_stale(BookApply::ids_went_backwards);
    }
    ++counters_.old_id_drops;
    return BookApply::dropped_old_id;
  }
  if (status_ != BookStatus::live) {
    ++counters_.not_live_drops;
    // A resyncing book already asked for its snapshot: it stays resyncing.
    return status_ == BookStatus::resyncing ? BookApply::gap : go_stale(BookApply::gap);
  }
  if (u.prev_id != last_id_) {
    ++counters_.gaps;
    return go_stale(BookApply::gap);
  }
  // A failure part-way leaves a sorted, stale book: nothing reads it as live until a snapshot.
  const BookApply r = apply_levels(u, false);
  if (r != BookApply::applied) return go_stale(r);
  last_id_ = u.id;
  open_snapshot_ = false;
  open_resets_ = false;
  return BookApply::applied;
}

BookApply OrderBook::finish() noexcept {
  older_snapshots_ = 0;
  if (open_snapshot_) {
    ++counters_.snapshots;
  } else {
    ++counters_.deltas;
  }
  if (!open_resets_ && crossed()) {
    ++counters_.crossed;
    return go_stale(BookApply::crossed);
  }
  if (status_ != BookStatus::live) {
    status_ = BookStatus::live;
    stale_reason_ = StaleReason::none;
    change_.status_changed = true;
  }
  return BookApply::applied;
}

bool OrderBook::mark_stale(StaleReason why) noexcept {
  if (status_ == BookStatus::stale || status_ == BookStatus::resyncing) return false;
  open_ = false;  // parts still to come are dropped: the update is no longer trusted
  enter_stale(why);
  ++counters_.marked_stale;
  return true;
}

bool OrderBook::mark_resyncing() noexcept {
  if (status_ != BookStatus::stale) return false;
  status_ = BookStatus::resyncing;
  return true;
}

void OrderBook::reset() noexcept {
  bid_count_ = 0;
  ask_count_ = 0;
  last_id_ = 0;
  older_snapshots_ = 0;
  open_ = false;
  status_ = BookStatus::empty;
  stale_reason_ = StaleReason::none;
  change_ = BookChange{};
}

}  // namespace mde

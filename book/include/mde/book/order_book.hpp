// OrderBook: one instrument's price levels, rebuilt from snapshots and patched by deltas.
//
// Design:
//  - Each side is a sorted array of at most kCapacity (256) PriceLevels held inline: bids by
//    price descending, asks ascending, index 0 the best. No level has a zero or negative
//    quantity, no price appears twice on a side. These hold after every call, whatever the input.
//  - A snapshot replaces both sides. Wire order is never trusted (Coinone and BTSE send asks
//    worst-first): levels are sorted by price; zero-quantity levels are skipped.
//  - A delta sets each [price, qty] as the new absolute quantity at that exact price (qty 0
//    deletes), BTSE style. Within one update a price appears once per side (the decoder keeps the
//    last entry), so the book applies a part's deletions before its insertions: growth that the
//    update's own deletions undo never trips the capacity (the decoder also sends deletions in the
//    first parts, so the final size is what decides).
//
// Parts: an update larger than one BookUpdate arrives as several (core/events.hpp,
// kBookPartMore / kBookPartContinued). The first part carries the checks below; continuation
// parts only add levels, and are dropped (dropped_part) when the first part was not applied.
// The crossed check, last_change() and the `applied` outcome come once, after the last part;
// earlier parts return `pending`. A snapshot's first part replaces the book, its continuations
// add levels.
//
// Rules (those of the venues' reference model; the property test checks them against a map):
//  - a delta whose id is not newer than the last applied id is a duplicate: dropped_old_id, no
//    status change, whatever the status; except that on a live book 3 in a row with an id
//    strictly older than the last applied one (a chain restarted without a snapshot, which
//    protocols.md B4 calls a gap) make it stale with reason ids_went_backwards, as rule (b)
//    below does for snapshots (same counter: any applied update restarts it);
//  - otherwise, a delta on a book with no snapshot, on a book that is not live, or whose prev_id
//    is not the last applied id is a gap: not applied; the book goes stale (a resyncing book stays
//    resyncing: its request is already out);
//  - after the last part of a delta, a crossed book (best bid >= best ask) goes stale;
//  - a delta that would leave more than kCapacity levels on a side goes stale with reason
//    overflow; nothing is ever truncated silently;
//  - a snapshot with kBookSnapshotResets (BTSE) replaces the book and makes it live whatever its
//    id, and checks nothing else (no id order, no crossed check: BTSE's reference algorithm
//    checks nothing on a snapshot; only levels the book cannot hold, below, are refused); its id
//    becomes the last applied id the next delta must chain from;
//  - a snapshot without it (Coinone) keeps "ids only move forward" on a live book: an id not newer
//    than the last applied one is dropped (dropped_old_id). Two fixes keep a restarted or
//    poisoned id sequence from freezing the book:
//      (a) on a book that is empty, stale or resyncing, a snapshot is accepted whatever its id (a
//          venue restart resets ids; the book asked for a fresh one and this is it);
//      (b) 3 consecutive snapshots with an id strictly older than the last applied one (after one
//          bogus huge id, say) make the book stale with reason ids_went_backwards
//          (kMaxOlderSnapshots); equal ids are harmless repeats (a duplicate SUBSCRIBE) and
//          neither count nor break the run; any applied update restarts the count. The book then
//          resyncs and (a) accepts the next snapshot;
//    after the last part of such a snapshot, a crossed book goes stale.
//  - a negative quantity, a price twice in one snapshot part, or a part count above
//    kMaxBookLevels is malformed: stale.
//
// Status (BookStatus):
//   empty      no snapshot yet (or reset()); levels are empty.
//   live       levels are the venue's book; trust them.
//   stale      see stale_reason(): the book wants a resync (resync_requested()); the levels keep
//              their last state but must not be traded on.
//   resyncing  the engine has forwarded the request to the feed (mark_resyncing()); still waiting
//              for the snapshot.
// Every transition into stale records why (StaleReason); a snapshot that makes the book live
// clears it.
//
// What changed: last_change() says, per side, the shallowest level index that may differ from
// before the update (levels above it are untouched), so a strategy that watches the top N levels
// can skip work, and top_of_book() is one comparison. Nothing is copied.
//
// Thread: owned by the one core (engine) thread. Never allocates, never throws, never locks;
// trivially copyable, all storage inline (about 10 KiB). Knows no venue, JSON or socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

#include "mde/core/events.hpp"

namespace mde {

enum class BookStatus : std::uint8_t { empty, live, stale, resyncing };

// Why a book went stale. `none` while it is live or empty.
enum class StaleReason : std::uint8_t {
  none,
  gap,                 // a delta did not chain (or came before a snapshot / on a stale book)
  crossed,             // best bid >= best ask after an update
  overflow,            // a delta needed more than kCapacity levels on a side
  malformed,           // negative quantity, repeated snapshot price, bad part sequence
  dropped_upstream,    // the producer dropped events for this book (full queue)
  ids_went_backwards,  // kMaxOlderSnapshots updates in a row older than the last applied one
  reconnect,           // the connection feeding it reconnected
  rejected_frame,      // the producer's decoder rejected a frame for it (a lost update)
};
inline constexpr std::size_t kStaleReasonCount = 9;

// What apply() did with one BookUpdate.
enum class BookApply : std::uint8_t {
  applied,             // levels replaced or patched (last part); the book is live
  pending,             // a part with more to come was taken; the outcome comes with the last
  dropped_old_id,      // id not newer than the last applied id; nothing changed
  dropped_part,        // a continuation whose first part was not applied; nothing changed
  gap,                 // delta not chained (or on a book that is not live): stale
  crossed,             // applied, but best bid >= best ask: stale
  overflow,            // a delta would need more than kCapacity levels on a side: stale
  malformed,           // see StaleReason::malformed: stale
  ids_went_backwards,  // the kMaxOlderSnapshots-th older snapshot in a row: stale
};
inline constexpr std::size_t kBookApplyCount = 9;

[[nodiscard]] constexpr const char* to_string(BookStatus s) noexcept {
  switch (s) {
    case BookStatus::empty: return "empty";
    case BookStatus::live: return "live";
    case BookStatus::stale: return "stale";
    case BookStatus::resyncing: return "resyncing";
  }
  return "?";
}

[[nodiscard]] constexpr const char* to_string(StaleReason r) noexcept {
  switch (r) {
    case StaleReason::none: return "none";
    case StaleReason::gap: return "gap";
    case StaleReason::crossed: return "crossed";
    case StaleReason::overflow: return "overflow";
    case StaleReason::malformed: return "malformed";
    case StaleReason::dropped_upstream: return "dropped_upstream";
    case StaleReason::ids_went_backwards: return "ids_went_backwards";
    case StaleReason::reconnect: return "reconnect";
    case StaleReason::rejected_frame: return "rejected_frame";
  }
  return "?";
}

[[nodiscard]] constexpr const char* to_string(BookApply a) noexcept {
  switch (a) {
    case BookApply::applied: return "applied";
    case BookApply::pending: return "pending";
    case BookApply::dropped_old_id: return "dropped_old_id";
    case BookApply::dropped_part: return "dropped_part";
    case BookApply::gap: return "gap";
    case BookApply::crossed: return "crossed";
    case BookApply::overflow: return "overflow";
    case BookApply::malformed: return "malformed";
    case BookApply::ids_went_backwards: return "ids_went_backwards";
  }
  return "?";
}

// Which levels the last update (all its parts) may have changed.
struct BookChange {
  static constexpr std::uint16_t kNone = 0xFFFF;

  std::uint16_t bids_from = kNone;  // shallowest bid index that may differ; kNone: untouched
  std::uint16_t asks_from = kNone;
  bool status_changed = false;
  BookApply result = BookApply::applied;

  [[nodiscard]] bool levels_changed() const noexcept {
    return bids_from != kNone || asks_from != kNone;
  }
  // Best bid or best ask (price or quantity) changed, including a side becoming empty.
  [[nodiscard]] bool top_of_book() const noexcept { return bids_from == 0 || asks_from == 0; }
};

// Monotonic counters since construction (reset() keeps them).
struct BookCounters {
  std::uint64_t snapshots = 0;        // snapshots applied (including crossed ones)
  std::uint64_t deltas = 0;           // deltas applied (including crossed ones)
  std::uint64_t parts = 0;            // continuation parts applied
  std::uint64_t old_id_drops = 0;     // updates dropped because their id was not newer
  std::uint64_t part_drops = 0;       // continuations dropped (first part not applied)
  std::uint64_t not_live_drops = 0;   // deltas refused because the book was not live (gaps)
  std::uint64_t gaps = 0;             // prev_id mismatches on a live book
  std::uint64_t crossed = 0;          // updates that left best bid >= best ask
  std::uint64_t overflows = 0;        // deltas that needed more than kCapacity levels
  std::uint64_t malformed = 0;        // negative quantities, duplicate snapshot prices, ...
  std::uint64_t ids_went_backwards = 0;
  std::uint64_t marked_stale = 0;     // mark_stale() calls that changed the status
  std::uint64_t resync_requests = 0;  // transitions into stale, whatever the cause
};

class OrderBook {
 public:
  // Levels per side; a power of two, four times BTSE's 50-level window.
  static constexpr std::size_t kCapacity = 256;
  static_assert((kCapacity & (kCapacity - 1)) == 0 && kCapacity >= kMaxBookLevels);
  static_assert(kCapacity < BookChange::kNone, "level indices must fit BookChange");
  // Rule (b) above: this many strictly older Coinone snapshots (or deltas) in a row make the
  // book stale.
  static constexpr std::uint32_t kMaxOlderSnapshots = 3;

  OrderBook() noexcept = default;

  // Applies one BookUpdate (a whole update or one part of it). Never allocates.
  BookApply apply(const BookUpdate& u) noexcept;

  // live or empty -> stale from outside (dropped events, a reconnect). Returns false when already
  // stale or resyncing.
  bool mark_stale(StaleReason why) noexcept;
  // stale -> resyncing, once the engine has asked the feed for a fresh snapshot. Returns false
  // (and changes nothing) in any other status.
  bool mark_resyncing() noexcept;
  // Back to empty with no last id. Keeps counters.
  void reset() noexcept;

  [[nodiscard]] BookStatus status() const noexcept { return status_; }
  [[nodiscard]] StaleReason stale_reason() const noexcept { return stale_reason_; }
  [[nodiscard]] bool live() const noexcept { return status_ == BookStatus::live; }
  [[nodiscard]] bool resync_requested() const noexcept { return status_ == BookStatus::stale; }
  [[nodiscard]] std::uint64_t last_id() const noexcept { return last_id_; }

  // Best first. Views into the book: valid until the next apply()/reset().
  [[nodiscard]] std::span<const PriceLevel> bids() const noexcept { return {bids_, bid_count_}; }
  [[nodiscard]] std::span<const PriceLevel> asks() const noexcept { return {asks_, ask_count_}; }
  [[nodiscard]] std::optional<PriceLevel> best_bid() const noexcept {
    return bid_count_ != 0 ? std::optional<PriceLevel>(bids_[0]) : std::nullopt;
  }
  [[nodiscard]] std::optional<PriceLevel> best_ask() const noexcept {
    return ask_count_ != 0 ? std::optional<PriceLevel>(asks_[0]) : std::nullopt;
  }

  [[nodiscard]] const BookChange& last_change() const noexcept { return change_; }
  [[nodiscard]] const BookCounters& counters() const noexcept { return counters_; }

 private:
  BookApply first_part(const BookUpdate& u) noexcept;
  BookApply continuation(const BookUpdate& u) noexcept;
  BookApply apply_snapshot(const BookUpdate& u) noexcept;
  BookApply apply_delta(const BookUpdate& u) noexcept;
  BookApply apply_levels(const BookUpdate& u, bool snapshot) noexcept;
  BookApply finish() noexcept;
  BookApply go_stale(BookApply why) noexcept;
  void enter_stale(StaleReason why) noexcept;
  [[nodiscard]] bool crossed() const noexcept {
    return bid_count_ != 0 && ask_count_ != 0 && bids_[0].price >= asks_[0].price;
  }

  PriceLevel bids_[kCapacity];
  PriceLevel asks_[kCapacity];
  // A snapshot part is normalised here first, so that a malformed one changes no level and an
  // unchanged prefix (Coinone's idle repeats) is neither copied nor reported as changed.
  PriceLevel scratch_bids_[kMaxBookLevels];
  PriceLevel scratch_asks_[kMaxBookLevels];
  BookCounters counters_;
  std::uint64_t last_id_ = 0;
  std::uint32_t bid_count_ = 0;
  std::uint32_t ask_count_ = 0;
  std::uint32_t older_snapshots_ = 0;  // rule (b): strictly older snapshots/deltas in a row
  BookChange change_;
  BookStatus status_ = BookStatus::empty;
  StaleReason stale_reason_ = StaleReason::none;
  // The update whose first part was applied and whose last part has not come yet.
  bool open_ = false;
  bool open_snapshot_ = false;
  bool open_resets_ = false;
};

static_assert(std::is_trivially_copyable_v<OrderBook>);
static_assert(sizeof(OrderBook) <=
                  (2 * OrderBook::kCapacity + 2 * kMaxBookLevels) * sizeof(PriceLevel) + 192,
              "OrderBook grew beyond its level arrays and three cache lines of state");

}  // namespace mde

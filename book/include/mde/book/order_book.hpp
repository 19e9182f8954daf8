// OrderBook: one instrument's price levels, rebuilt from snapshots and patched by deltas.
//
// Design:
//  - Each side is a sorted array of at most kCapacity PriceLevels held inline: bids by price
//    descending, asks ascending, index 0 the best. No level has a zero or negative quantity, no
//    price appears twice on a side. These hold after every call, whatever the input.
//  - apply(snapshot) replaces both sides. Wire order is never trusted (Coinone sends asks
//    worst-first): levels are sorted by price; zero-quantity levels are skipped.
//  - apply(delta) sets each [price, qty] as the new absolute quantity at that exact price (qty 0
//    deletes), BTSE style, after checking `prev_id == last id`.
//  - Ids only move forward: an update whose id is not newer than the last applied one is dropped
//    (a duplicate SUBSCRIBE replays the current book with an equal id).
//
// Status (BookStatus):
//   empty      no snapshot yet (or reset() after a reconnect); levels are empty.
//   live       levels are the venue's book; trust them.
//   stale      a gap, a crossed book, a capacity overflow or a malformed level was seen, or the
//              engine called mark_stale() (events for this book were dropped upstream). The book
//              wants a resync (resync_requested()); the levels keep their last state but must not
//              be traded on. Deltas are dropped (and counted) until the next snapshot.
//   resyncing  the engine has forwarded the request to the feed (mark_resyncing()); still waiting
//              for the snapshot, deltas still dropped.
//   A snapshot newer than the last id makes any status live (unless it is itself crossed or
//   malformed). A delta on an empty book means the snapshot was missed: it goes stale.
//
// What changed: last_change() says, per side, the shallowest level index that may differ from
// before the last apply() (levels above it are untouched), so a strategy that watches the top N
// levels can skip work, and top_of_book() is one comparison. Nothing is copied.
//
// Thread: owned by the one core (engine) thread. Never allocates, never throws, never locks;
// trivially copyable, all storage inline (about 4 KiB). Knows no venue, JSON or socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>

#include "mde/core/events.hpp"

namespace mde {

enum class BookStatus : std::uint8_t { empty, live, stale, resyncing };

// What apply() did with one update.
enum class BookApply : std::uint8_t {
  applied,           // levels replaced or patched; the book is live
  dropped_old_id,    // id not newer than the last applied id; nothing changed
  dropped_not_live,  // delta on a stale or resyncing book; nothing changed
  gap,               // delta's prev_id != last id (or no snapshot yet): now stale
  crossed,           // applied, but best bid >= best ask: now stale
  overflow,          // a delta would need more than kCapacity levels on a side: now stale
  malformed,         // negative quantity, a price twice in a snapshot, count > kCapacity: stale
};

[[nodiscard]] constexpr const char* to_string(BookStatus s) noexcept {
  switch (s) {
    case BookStatus::empty: return "empty";
    case BookStatus::live: return "live";
    case BookStatus::stale: return "stale";
    case BookStatus::resyncing: return "resyncing";
  }
  return "?";
}

[[nodiscard]] constexpr const char* to_string(BookApply a) noexcept {
  switch (a) {
    case BookApply::applied: return "applied";
    case BookApply::dropped_old_id: return "dropped_old_id";
    case BookApply::dropped_not_live: return "dropped_not_live";
    case BookApply::gap: return "gap";
    case BookApply::crossed: return "crossed";
    case BookApply::overflow: return "overflow";
    case BookApply::malformed: return "malformed";
  }
  return "?";
}

// Which levels the last apply() may have changed.
struct BookChange {
  static constexpr std::uint8_t kNone = 0xFF;

  std::uint8_t bids_from = kNone;  // shallowest bid index that may differ; kNone: bids untouched
  std::uint8_t asks_from = kNone;
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
  std::uint64_t old_id_drops = 0;     // updates dropped because their id was not newer
  std::uint64_t not_live_drops = 0;   // deltas dropped because the book was stale/resyncing
  std::uint64_t gaps = 0;             // prev_id mismatches, and deltas before any snapshot
  std::uint64_t crossed = 0;          // updates that left best bid >= best ask
  std::uint64_t overflows = 0;        // deltas that needed more than kCapacity levels
  std::uint64_t malformed = 0;        // negative quantities, duplicate snapshot prices
  std::uint64_t marked_stale = 0;     // mark_stale() calls that changed the status
  std::uint64_t resync_requests = 0;  // transitions into stale, whatever the cause
};

class OrderBook {
 public:
  // Levels per side. Equal to the most a BookUpdate carries, so a snapshot always fits; only
  // deltas can overflow (BTSE keeps its window at 50 on a gap-free stream).
  static constexpr std::size_t kCapacity = kMaxBookLevels;

  OrderBook() noexcept = default;

  // Applies a snapshot or a delta (by u.action). Never allocates.
  BookApply apply(const BookUpdate& u) noexcept;

  // live or empty -> stale from outside, e.g. when the producer reports dropped events for this
  // instrument (ControlType::dropped). Returns false when already stale or resyncing.
  bool mark_stale() noexcept;
  // stale -> resyncing, once the engine has asked the feed for a fresh snapshot. Returns false
  // (and changes nothing) in any other status.
  bool mark_resyncing() noexcept;
  // Back to empty with no last id, for a new connection whose ids may restart. Keeps counters.
  void reset() noexcept;

  [[nodiscard]] BookStatus status() const noexcept { return status_; }
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
  BookApply apply_snapshot(const BookUpdate& u) noexcept;
  BookApply apply_delta(const BookUpdate& u) noexcept;
  BookApply snapshot_applied(std::uint64_t id) noexcept;
  BookApply go_stale(BookApply why) noexcept;
  [[nodiscard]] bool crossed() const noexcept {
    return bid_count_ != 0 && ask_count_ != 0 && bids_[0].price >= asks_[0].price;
  }

  PriceLevel bids_[kCapacity];
  PriceLevel asks_[kCapacity];
  // A snapshot is normalised here first, so that a malformed one changes no level and an
  // unchanged prefix (Coinone's idle repeats) is neither copied nor reported as changed.
  PriceLevel scratch_bids_[kCapacity];
  PriceLevel scratch_asks_[kCapacity];
  BookCounters counters_;
  std::uint64_t last_id_ = 0;
  std::uint32_t bid_count_ = 0;
  std::uint32_t ask_count_ = 0;
  BookChange change_;
  BookStatus status_ = BookStatus::empty;
};

static_assert(std::is_trivially_copyable_v<OrderBook>);
static_assert(sizeof(OrderBook) <= 4 * OrderBook::kCapacity * sizeof(PriceLevel) + 128,
              "OrderBook grew beyond its four level arrays and two cache lines of state");

}  // namespace mde

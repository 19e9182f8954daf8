// TradeStats: running public-trade statistics per instrument (count, volume, notional, last
// trade, how often the buyer was the taker), each trade id counted once per market.
//
// Repeats: BTSE's first batch after a (re)subscribe repeats recent trades, and Coinone may send
// a trade id twice. Each instrument remembers the 64-bit fingerprints of its last kWindow (1024)
// counted trade ids in a ring, indexed by a fixed open-addressing set (kSlots positions, load
// <= 1/2; the oldest id leaves the set when the ring wraps). A trade whose id is in that window
// is a duplicate: it changes no statistic and is counted in `duplicates`. So a repeat is caught
// while fewer than 1024 newer distinct trades of the same market were counted since the
// original: far more than a resubscribe batch (BTSE sends tens). A fingerprint collision (about
// 2^-64 per pair) would drop a real trade. A trade without an id cannot be deduplicated: it is
// counted (and in `without_id`).
//
// `last_id` / `last_price` are those of the last COUNTED trade; `buyer_taker_count` counts trades
// whose taker side is buy.
//
// Thread: the core thread owns it. Every table is allocated at construction (about 12 KiB per
// instrument); apply() never allocates, locks or throws. Exact decimal sums.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"

namespace mde {

struct TradeStat {
  std::uint64_t count = 0;              // counted trades (each id once)
  std::uint64_t buyer_taker_count = 0;  // counted trades whose taker side is buy
  std::uint64_t duplicates = 0;         // trades whose id was already counted
  Notional volume{};                    // sum of qty (Notional: a day of volume exceeds Decimal)
  Notional notional{};                  // sum of price x qty, exact
  ExchangeId last_id{};
  Decimal last_price{};
  std::int64_t last_exchange_ns = 0;
};

enum class TradeApply : std::uint8_t {
  counted,         // a new trade id (or none): added to the statistics
  duplicate,       // its id is among the instrument's last kWindow counted ids: ignored
  bad_instrument,  // instrument outside the table: ignored
};

struct TradeCounters {
  std::uint64_t counted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t without_id = 0;  // counted without deduplication
  std::uint64_t sum_overflow = 0;  // counted, but volume / notional could not hold it: unchanged
  std::uint64_t bad_instrument = 0;
};

class TradeStats {
 public:
  static constexpr std::size_t kWindow = 1024;  // trade ids remembered per instrument
  static constexpr std::size_t kSlots = 2 * kWindow;
  static_assert((kWindow & (kWindow - 1)) == 0 && kWindow < 0xFFFF,
                "window positions (+1) must fit a 16-bit slot; power of two for the mask");

  // Allocates every table (setup); throws std::bad_alloc.
  explicit TradeStats(std::size_t instruments = InstrumentRegistry::kCapacity);
  ~TradeStats();
  TradeStats(const TradeStats&) = delete;
  TradeStats& operator=(const TradeStats&) = delete;

  TradeApply apply(InstrumentId instrument, const Trade& trade, std::int64_t exchange_ns) noexcept;

  // nullptr for an instrument with no counted trade.
  [[nodiscard]] const TradeStat* find(InstrumentId instrument) const noexcept {
    return instrument < stats_.size() && stats_[instrument].count != 0 ? &stats_[instrument]
                                                                      : nullptr;
  }
  // Visits every instrument with a counted trade, by id: f(InstrumentId, const TradeStat&).
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < stats_.size(); ++i) {
      if (stats_[i].count != 0) f(static_cast<InstrumentId>(i), stats_[i]);
    }
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return stats_.size(); }
  [[nodiscard]] const TradeCounters& counters() const noexcept { return counters_; }

 private:
  // One instrument's recent ids: a ring of fingerprints and a set of ring positions (+1; 0 is
  // an empty slot) hashed by fingerprint.
  struct Window {
    std::uint64_t ids[kWindow];
    std::uint16_t slots[kSlots];
    std::uint32_t head;   // oldest position once the ring is full
    std::uint32_t count;  // positions in use
  };

  [[nodiscard]] static bool contains(const Window& w, std::uint64_t fp) noexcept;
  static void remember(Window& w, std::uint64_t fp) noexcept;

  std::vector<TradeStat> stats_;       // indexed by InstrumentId; sized once
  std::unique_ptr<Window[]> windows_;  // one per instrument; zeroed: every set empty
  TradeCounters counters_;
};

}  // namespace mde

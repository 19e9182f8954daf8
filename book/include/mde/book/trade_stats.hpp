// TradeStats: running public-trade statistics per instrument (count, volume, notional, last
// trade, how often the buyer was the taker).
//
// Thread: the core thread owns it. Fixed capacity (one slot per possible InstrumentId registered
// up front), no allocation after construction, exact decimal sums.
#pragma once

#include <cstdint>
#include <vector>

#include "mde/core/decimal.hpp"
#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"

namespace mde {

struct TradeStat {
  std::uint64_t count = 0;
  std::uint64_t buyer_taker_count = 0;  // is_seller_maker == true: the buyer took liquidity
  Notional volume{};                    // sum of qty (Notional: a day of volume exceeds Decimal)
  Notional notional{};                  // sum of price x qty, exact
  ExchangeId last_id{};
  Decimal last_price{};
  std::int64_t last_exchange_ns = 0;
};

class TradeStats {
 public:
  // Allocates once (setup).
  explicit TradeStats(std::size_t instruments = InstrumentRegistry::kCapacity)
      : stats_(instruments) {}

  // Returns false (and counts nothing) for an instrument outside the table.
  bool apply(InstrumentId instrument, const Trade& trade, std::int64_t exchange_ns) noexcept {
    if (instrument >= stats_.size()) return false;
    TradeStat& s = stats_[instrument];
    ++s.count;
    if (trade.taker_side == Side::buy) ++s.buyer_taker_count;
    (void)checked_add(s.volume, widen(trade.qty), s.volume);  // int128: cannot overflow in practice
    (void)checked_add(s.notional, multiply(trade.price, trade.qty), s.notional);
    s.last_id = trade.id;
    s.last_price = trade.price;
    s.last_exchange_ns = exchange_ns;
    return true;
  }

  [[nodiscard]] const TradeStat* find(InstrumentId instrument) const noexcept {
    return instrument < stats_.size() && stats_[instrument].count != 0 ? &stats_[instrument]
                                                                      : nullptr;
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return stats_.size(); }

 private:
  std::vector<TradeStat> stats_;  // indexed by InstrumentId; sized once
};

}  // namespace mde

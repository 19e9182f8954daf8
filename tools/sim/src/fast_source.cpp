#include "mde/sim/fast_source.hpp"

#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <stdexcept>

namespace mde::sim {
namespace {

constexpr std::size_t kIdDigits = 16;
constexpr std::size_t kTimestampDigits = 13;

// Writes `v` as exactly `width` decimal digits at `out` (leading zeros).
void put_digits(char* out, std::size_t width, std::uint64_t v) noexcept {
  for (std::size_t i = width; i-- > 0; v /= 10) out[i] = static_cast<char>('0' + v % 10);
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

FastCoinoneSource::FastCoinoneSource(FastSourceOptions options)
    : options_(std::move(options)), next_id_(options_.first_id) {
  const std::string id(kIdDigits, 'I');  // placeholders, patched per frame
  const std::string ts(kTimestampDigits, 'T');
  // Built with append only: GCC 12's -Wrestrict misfires on chains of operator+.
  auto make = [&](std::string_view channel, std::initializer_list<std::string_view> body) {
    std::string text = R"({"response_type":"DATA","channel":")";
    text.append(channel).append(R"(","data":{"quote_currency":"KRW","target_currency":")");
    text.append(options_.target).append("\",");
    for (std::string_view part : body) text.append(part);
    Template t;
    t.text = translate_coinone_keys(text, options_.format);
    t.channel = channel;
    t.id_at = t.text.find(id);
    t.timestamp_at = t.text.find(ts);
    if (t.id_at == std::string::npos || t.timestamp_at == std::string::npos) {
      throw std::logic_error("fast source: template without id or timestamp");
    }
    return t;
  };
  // 16 levels a side around 700 KRW, asks worst-first as the venue sends them.
  std::string asks, bids;
  char level[64];
  for (int i = 0; i < 16; ++i) {
    if (i != 0) {
      asks.append(",");
      bids.append(",");
    }
    std::snprintf(level, sizeof level, R"({"price":"%d.5","qty":"%d.5"})", 715 - i, 1000 + 37 * i);
    asks.append(level);
    std::snprintf(level, sizeof level, R"({"price":"%d.5","qty":"%d.25"})", 699 - i, 2000 + 53 * i);
    bids.append(level);
  }
  book_ = make("ORDERBOOK", {R"("timestamp":)", ts, R"(,"id":")", id, R"(","asks":[)", asks,
                             R"(],"bids":[)", bids, "]}}"});
  const std::string_view prices[] = {"700.5", "699.5", "700.5", "701.5"};
  const std::string_view qtys[] = {"12.5", "3", "100.25", "0.5"};
  for (std::size_t i = 0; i < 4; ++i) {
    trades_.push_back(make("TRADE", {R"("id":")", id, R"(","timestamp":)", ts, R"(,"price":")",
                                     prices[i], R"(","qty":")", qtys[i], R"(","is_seller_maker":)",
                                     i % 2 != 0 ? "true" : "false", "}}"}));
  }
}

MarketFrame FastCoinoneSource::next_frame() {
  const bool book = options_.book_every != 0 && frames_ % options_.book_every == 0;
  Template& t = book ? book_ : trades_[frames_ % trades_.size()];
  ++frames_;
  const std::uint64_t id = next_id_++;
  put_digits(t.text.data() + t.id_at, kIdDigits, id);
  put_digits(t.text.data() + t.timestamp_at, kTimestampDigits,
             static_cast<std::uint64_t>(wall_ms()));
  return {Venue::coinone, t.channel, options_.target, t.text,
          static_cast<std::uint8_t>(options_.format), id};
}

}  // namespace mde::sim

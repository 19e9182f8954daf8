// FastCoinoneSource: a market source for load tests and benchmarks that costs the simulator
// almost nothing per frame, so that the client, not the simulator, is what a rate test measures.
//
// Frames are rendered once at construction (one ORDERBOOK of 16 levels a side, a few TRADEs, one
// market, in the format asked for); each next_frame() patches a fresh id (16 digits, from one
// counter for every frame, so every trade id and book id is unique and only grows) and the
// current millisecond timestamp into the next template, in place. The frame's stamp_key is its id,
// which the client sees again as the trade id or the book's id (CallbackLatency).
//
// Thread: the simulator's I/O thread. Tool side: allocates at construction only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mde/sim/coinone_endpoint.hpp"
#include "mde/sim/endpoint.hpp"

namespace mde::sim {

struct FastSourceOptions {
  std::string target = "XRP";   // one of coinone_markets()
  std::uint32_t book_every = 4;  // every n-th frame is an ORDERBOOK, the rest TRADEs (0: trades)
  CoinoneFormat format = CoinoneFormat::default_format;
  std::uint64_t first_id = 1'000'000'000'000'001;  // 16 digits
};

class FastCoinoneSource final : public MarketSource {
 public:
  explicit FastCoinoneSource(FastSourceOptions options = {});
  [[nodiscard]] MarketFrame next_frame() override;
  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }

 private:
  struct Template {
    std::string text;
    std::string_view channel;
    std::size_t id_at = 0;         // first of the 16 id digits
    std::size_t timestamp_at = 0;  // first of the 13 timestamp digits
  };

  FastSourceOptions options_;
  Template book_;
  std::vector<Template> trades_;
  std::uint64_t next_id_;
  std::uint64_t frames_ = 0;
};

}  // namespace mde::sim

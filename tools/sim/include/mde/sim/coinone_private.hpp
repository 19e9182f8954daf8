// The simulator's Coinone private endpoint (`/v1/private`, protocols.md A7), without the sockets.
//
//   verify_coinone_auth      the upgrade headers' check: X-COINONE-PAYLOAD is base64 of a JSON
//                            object with the known access_token, a nonce and a timestamp, and
//                            X-COINONE-SIGNATURE is its hex HMAC-SHA512 with the secret as issued
//                            or upper-cased (the sheet allows both). A failed check gets CONNECTED
//                            then close 4280, as the venue does.
//   CoinonePrivateFeed       the account's own activity, scripted and deterministic per seed: rounds
//                            of four orders over XRP and BTC against KRW, each round
//                              k=0 limit BID   wait, trade, trade, trade_done (repeats the last fill,
//                                              same trade_id)                      -> filled
//                              k=1 stop ASK    watch, wait, cancel                  -> cancelled
//                              k=2 post-only   wait, cancel_post_only               -> cancelled
//                              k=3 limit ASK   wait, trade, cancel (the remainder)  -> cancelled
//                            with a MYASSET balance change after each order, fill and cancel.
//                            Times (seconds): order_timestamp is when the order was placed (its
//                            first event), the same on all its events; trade_done repeats its
//                            fill's times; cancel_post_only has executed_timestamp 0 (A7.4).
//                            Or, given an order script (order_script.hpp), its orders and steps
//                            instead, played once from the first MYORDER subscription (own
//                            orders are placed once the client listens), then nothing more.
//                            `event_rate` events a second, paced by the tick loop: most calls to
//                            next_frame() return an empty frame. Faults: the next fill (`trade`)
//                            sent twice (the same bytes), or the next order's opening
//                            `wait`/`watch` swapped with that order's following event.
//   coinone_private_route    one connection: CONNECTED, SUBSCRIBE MYORDER (topic array of markets,
//                            none = every market; the ack echoes the array) / MYASSET (no topic; the
//                            ack has no data), long keys in acks, SUBSCRIBED then ERROR 160012 for
//                            an unknown market, PONG; data in each subscription's format.
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mde/feeds/coinone/auth.hpp"
#include "mde/sim/endpoint.hpp"
#include "mde/sim/order_script.hpp"

namespace mde::sim {

[[nodiscard]] bool verify_coinone_auth(std::string_view payload, std::string_view signature,
                                       const coinone::Credentials& account);

class CoinonePrivateFeed final : public MarketSource {
 public:
  // `market_rate`: how often the tick loop calls next_frame() a second; `event_rate`: how many
  // private events a second it should yield.
  // `clock`: SimClock::wall stamps each event's times (seconds) when it is yielded; fixed (the
  // default here) keeps the script's own clock, one second per event from the venue's examples.
  CoinonePrivateFeed(std::uint64_t seed, std::uint32_t market_rate, std::uint32_t event_rate,
                     OrderScript script = {}, SimClock clock = SimClock::fixed);
  ~CoinonePrivateFeed();
  CoinonePrivateFeed(const CoinonePrivateFeed&) = delete;
  CoinonePrivateFeed& operator=(const CoinonePrivateFeed&) = delete;

  // A MYORDER or MYASSET frame in DEFAULT keys (channel, market = target), or an empty one.
  [[nodiscard]] MarketFrame next_frame() override;
  // The same event as the last frame next_frame() returned, in SHORT keys.
  [[nodiscard]] std::string_view last_short() const noexcept;

  void duplicate_next_order_event();
  void reorder_next_order_events();
  [[nodiscard]] std::uint64_t order_events() const noexcept;  // MYORDER frames yielded so far
  // A script starts playing (the connection calls it on a MYORDER subscription); the built-in
  // rounds play from the start and ignore it.
  void start_script() noexcept;
  // A script was given and every one of its events has been yielded.
  [[nodiscard]] bool script_played() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// What the script does with an order it made: its final status and total filled quantity (as the
// venue writes decimals), or nullopt for an id it never issued.
struct ScriptedOrderOutcome {
  std::string_view final_status;  // "trade_done", "cancel" or "cancel_post_only"
  std::string_view side;          // "BID" or "ASK"
  double filled_fraction;         // of the order quantity: 1, 0 or 0.25
};
[[nodiscard]] std::optional<ScriptedOrderOutcome> coinone_scripted_outcome(
    std::string_view order_id);

[[nodiscard]] Route coinone_private_route(CoinonePrivateFeed& feed,
                                          coinone::Credentials account, std::uint64_t seed,
                                          std::shared_ptr<std::uint64_t> connection_counter);

}  // namespace mde::sim

// The simulator's own-order script (`mde sim --orders FILE`, SimOptions::order_script): which
// Coinone orders the private endpoint plays and the lifecycle steps of each, read from TOML.
//
//   [[order]]
//   market = "XRP"            # a Coinone market against KRW ("XRP" or "XRP-KRW")
//   side = "bid"              # bid / ask (buy / sell)
//   type = "limit"            # limit / market / stop_limit
//   price = "812.5"           # KRW; a string, an integer or a float
//   qty = "100"
//   post_only = false         # optional
//   steps = ["wait", "trade 40", "trade", "trade_done"]
//
// Steps, played in order as MYORDER frames (protocols.md A7.4) with the MYASSET changes they
// imply (A7.5): `wait` opens the order (funds locked: MYASSET `order`); `watch` is a stop order
// waiting for its trigger (first step of a stop_limit only); `trade Q` fills Q (`trade` alone
// fills the remainder; MYASSET `trade`); `trade_done` repeats the last fill, same trade id, and
// needs the order filled whole; `cancel` cancels the remainder (MYASSET `cancel` when funds
// were locked: a stop order may also be cancelled in watch);
// `cancel_post_only` cancels a post-only order that would have taken liquidity, before any fill
// (MYASSET `cancel_post_only` if it was open). After trade_done, cancel or cancel_post_only
// nothing may follow. Every mistake is a setup error naming file:line:column and the order.
//
// Thread: setup only (the simulator's constructor). Allocates; throws std::runtime_error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mde::sim {

enum class ScriptOrderType : std::uint8_t { limit, market, stop_limit };

enum class ScriptStepKind : std::uint8_t {
  wait,
  watch,
  trade,
  trade_done,
  cancel,
  cancel_post_only
};

struct ScriptStep {
  ScriptStepKind kind = ScriptStepKind::wait;
  std::int64_t qty = 0;  // trade: the fill in 1e-8 units (resolved: `trade` alone is the rest)
};

struct ScriptedOrder {
  std::string market;  // the target currency, upper case: "XRP" (quote KRW)
  bool bid = true;
  ScriptOrderType type = ScriptOrderType::limit;
  std::int64_t price = 0;  // KRW in 1e-8 units
  std::int64_t qty = 0;    // 1e-8 units
  bool post_only = false;
  std::vector<ScriptStep> steps;
};

struct OrderScript {
  std::vector<ScriptedOrder> orders;  // empty: the simulator's built-in rounds
};

// Reads and checks a script file; throws std::runtime_error "<file>:<line>:<col>: order[2]...".
[[nodiscard]] OrderScript read_order_script(const std::filesystem::path& path);
// The same from text (`source` names it in errors).
[[nodiscard]] OrderScript parse_order_script(std::string_view text, std::string_view source);

// Where an order's steps leave it: the last status sent and the quantity filled (1e-8 units).
struct ScriptOutcome {
  ScriptStepKind last = ScriptStepKind::wait;
  std::int64_t filled = 0;
};
[[nodiscard]] ScriptOutcome script_outcome(const ScriptedOrder& order) noexcept;

}  // namespace mde::sim

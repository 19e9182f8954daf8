// Faults on a timetable (`mde sim --fault AT:KIND[:ARG...]`): lets anyone point their own client
// at the simulator and watch it meet a disconnect, a stall, a gap or a refused subscription at a
// known moment, without linking the simulator's API. AT is seconds since the simulator started
// (a decimal: "2.5"). Kinds and their arguments:
//
//   drop                     every open connection's socket closed without a close frame
//   stall:MS                 no data frame for MS milliseconds (sockets open, requests answered)
//   malformed:N              N frames a decoder must refuse to every open connection (cut or
//                            not JSON; the sixth of each six an XRP-KRW ORDERBOOK with a
//                            9-fractional-digit quantity)
//   close:CODE               a close frame with CODE (4290 too many connections, 4280 auth)
//   btse-gap:MARKET          the next BTSE delta of MARKET skips a seqNum
//   btse-cross:MARKET        a BTSE delta of MARKET crosses the book
//   order-duplicate          the next MYORDER event is sent twice
//   order-reorder            the next two MYORDER events are swapped
//   refuse-subscribes:N:CODE[:FIELD]   the next N Coinone SUBSCRIBEs answered ERROR CODE
//   ignore-subscribes:N      the next N Coinone SUBSCRIBEs get no answer
//
// Thread: setup (parsing) and the caller's thread (apply: each fault posts to the simulator's I/O
// thread). Allocates; parse throws std::invalid_argument with the spec and what is wrong in it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mde::sim {

class Simulator;

enum class FaultKind : std::uint8_t {
  drop,
  stall,
  malformed,
  close,
  btse_gap,
  btse_cross,
  order_duplicate,
  order_reorder,
  refuse_subscribes,
  ignore_subscribes,
};

struct ScheduledFault {
  std::chrono::milliseconds at{0};  // since the simulator started
  FaultKind kind = FaultKind::drop;
  std::int64_t count = 0;  // stall: ms; malformed, refuse/ignore-subscribes: N; close: the code
  std::int64_t code = 0;   // refuse-subscribes: the ERROR code
  std::string text;        // btse-*: the market; refuse-subscribes: the field (may be empty)
  std::string spec;        // as given, for the log line when it fires
};

// One `AT:KIND[:ARG...]` spec. Throws std::invalid_argument naming the spec and the mistake.
[[nodiscard]] ScheduledFault parse_fault(std::string_view spec);

// Every spec, sorted by time (stable: equal times keep their order).
[[nodiscard]] std::vector<ScheduledFault> parse_fault_schedule(const std::vector<std::string>& specs);

// Makes `fault` happen on `simulator` now.
void apply_fault(Simulator& simulator, const ScheduledFault& fault);

}  // namespace mde::sim

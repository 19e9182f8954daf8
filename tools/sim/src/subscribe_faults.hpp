// SubscribeFaults: the simulator's knobs that make Coinone SUBSCRIBE requests go wrong, so tests
// can show a client never waits silently for an ack (Simulator::refuse_next_subscribes,
// ignore_next_subscribes).
//
//   refuse  the next n SUBSCRIBE requests (any Coinone path, public or private) are answered with
//           ERROR `code` (+ `field`) instead of SUBSCRIBED, as the venue answers a bad request
//           (160010, 160011 with its field): the endpoint never sees them
//   ignore  the next n SUBSCRIBE requests get no answer at all
//
// A request is a SUBSCRIBE when it is JSON with "request_type":"SUBSCRIBE" (Coinone's envelope;
// BTSE requests use "op" and pass through). Refusals are used up before ignores. While nothing is
// armed a request costs one comparison.
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mde::sim {

class SubscribeFaults {
 public:
  void refuse(std::uint32_t n, std::int64_t code, std::string field) {
    refuse_ = n;
    code_ = code;
    field_ = std::move(field);
  }
  void ignore(std::uint32_t n) { ignore_ = n; }

  enum class Taken : std::uint8_t { no, refused, ignored };
  // Whether a knob took `request`; for a refusal `out` holds the ERROR to send.
  [[nodiscard]] Taken take(std::string_view request, std::vector<std::string>& out);

 private:
  simdjson::dom::parser parser_;
  std::uint32_t refuse_ = 0, ignore_ = 0;
  std::int64_t code_ = 0;
  std::string field_;
};

}  // namespace mde::sim

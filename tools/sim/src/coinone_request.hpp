// The envelope every Coinone request shares, public and private (protocols.md A1, A7): JSON
// object, request_type, PING -> PONG, SUBSCRIBE/UNSUBSCRIBE, channel, format. Internal to the
// simulator's Coinone endpoints.
//
// Thread: the simulator's I/O thread. Tool side: allocates freely.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mde/sim/coinone_endpoint.hpp"

namespace mde::sim {

struct CoinoneRequest {
  simdjson::dom::element root;  // valid until the parser's next parse
  std::string_view channel;     // one of the channels asked for
  CoinoneFormat format = CoinoneFormat::default_format;
  bool subscribe = false;       // SUBSCRIBE (else UNSUBSCRIBE)
};

// Counts the request. A PING is answered with PONG, an invalid envelope with the venue's ERROR
// (160010 not JSON / no request_type; 160011 with `field` for a bad request_type, channel or
// format), both appended to `out` and counted: nullopt then. Otherwise the (UN)SUBSCRIBE to answer.
[[nodiscard]] std::optional<CoinoneRequest> read_coinone_request(
    simdjson::dom::parser& parser, std::string_view text,
    std::initializer_list<std::string_view> channels, EndpointCounters& counters,
    std::vector<std::string>& out);

}  // namespace mde::sim

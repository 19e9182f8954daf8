#include "venue_protocol.hpp"

#include <stdexcept>

namespace mde::live {

std::unique_ptr<VenueProtocol> make_coinone_protocol(const SessionOptions& options);
std::unique_ptr<VenueProtocol> make_btse_protocol(const SessionOptions& options);

std::unique_ptr<VenueProtocol> make_venue_protocol(const SessionOptions& options) {
  switch (options.venue) {
    case Venue::coinone: return make_coinone_protocol(options);
    case Venue::btse: return make_btse_protocol(options);
    default: break;
  }
  throw std::runtime_error(std::string("live session: no live protocol for venue ") +
                           std::string(to_string(options.venue)));
}

}  // namespace mde::live

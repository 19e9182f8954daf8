// A live session pointed at the in-process simulator (for the tests that link mde::sim).
#pragma once

#include <chrono>
#include <string>

#include "mde/feeds/live/session.hpp"
#include "mde/sim/simulator.hpp"

namespace mde::live_test {

// A session to `url` on the simulator: trusts its certificate, reconnects fast (test timers).
inline live::SessionOptions session_to(const sim::Simulator& sim, const std::string& url,
                                       Venue venue = Venue::coinone) {
  live::SessionOptions o;
  o.venue = venue;
  o.endpoint = live::parse_wss_url(url);
  o.tls.ca_file = sim.ca_file().string();
  o.timers.backoff_initial = std::chrono::milliseconds(20);
  o.timers.backoff_max = std::chrono::milliseconds(200);
  o.timers.connect_timeout = std::chrono::seconds(2);
  return o;
}

}  // namespace mde::live_test

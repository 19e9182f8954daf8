// A live session pointed at the in-process simulator (for the tests that link mde::sim), and the
// fixture those tests share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "live/live_test_support.hpp"
#include "live/raw_websocket_client.hpp"
#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"
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

// A Coinone private session to the simulator, signed with the account it accepts by default
// (the documented demo account, SimOptions::coinone_account); subscriptions are the caller's.
inline live::SessionOptions demo_private_session_to(const sim::Simulator& sim) {
  live::SessionOptions o = session_to(sim, sim.coinone_private_url());
  o.credentials = {coinone::Secret(std::string(sim::kSimDemoAccessToken)),
                   coinone::Secret(std::string(sim::kSimDemoSecretKey))};
  return o;
}

// A client that is not Beast (raw_websocket_client.hpp) upgraded on `path` of the simulator,
// trusting its certificate; `extra_headers` are "Name: value\r\n" lines.
inline RawWebSocketClient raw_client_to(const sim::Simulator& sim, const std::string& path,
                                        const std::string& extra_headers = {}) {
  return RawWebSocketClient(sim.port(), sim.ca_file().string(), path, extra_headers);
}

// The simulator in this process, its certificate in a directory of the test's own, and one live
// runtime delivering to `Recorder` (made on first use, so a test can pick its options). TearDown
// stops the runtime before the simulator: no session outlives its peer.
template <class Recorder>
class SimulatorFixture : public ::testing::Test {
 protected:
  explicit SimulatorFixture(const std::string& tag) : certs_(tag) {}

  void start_sim(sim::SimOptions o) {
    o.cert_dir = certs_.path();
    sim_ = std::make_unique<sim::Simulator>(std::move(o));
    sim_->start();
  }
  void TearDown() override {
    runtime_.reset();
    if (sim_) sim_->stop();
  }

  LiveRuntime<Recorder>& runtime(LiveRunOptions options = {}) {
    if (!runtime_) runtime_ = std::make_unique<LiveRuntime<Recorder>>(recorder_, options);
    return *runtime_;
  }
  // The instrument the runtime registered for `market` (kNoInstrument before).
  InstrumentId id(Venue venue, const char* market) {
    return runtime().registry().find(venue, market).value_or(kNoInstrument);
  }

  TempDir certs_;
  std::unique_ptr<sim::Simulator> sim_;
  Recorder recorder_;
  std::unique_ptr<LiveRuntime<Recorder>> runtime_;
};

}  // namespace mde::live_test

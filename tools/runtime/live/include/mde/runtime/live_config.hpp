// LiveConfig: a live run described by a TOML file (toml++, Debian libtomlplusplus-dev): the
// runtime's threads and queues, TLS, timers, and one [[session]] table per connection with its
// venue, URL, subscriptions and formats, and the credentials it needs named by environment
// variable or file, never written in the file itself.
//
//   [runtime]  io_cpus = [0, 2]   core_cpu = 1   queue_capacity = 4096   busy_spin = false
//              (one I/O thread per io_cpus entry, -1 unpinned; default one unpinned thread)
//              record = "live.mdecap"            # optional: capture every inbound frame
//   [tls]      ca_file = "/tmp/mde-sim/sim-cert.pem"  # default: the system CA store
//              insecure_skip_verify = false      # the only way to turn verification off
//              tls13 = false                     # true: allow TLS 1.3 (allocates per record)
//   [timers]   ping_interval_ms, silence_timeout_ms, connect_timeout_ms, backoff_initial_ms,
//              backoff_max_ms, backoff_after_limit_ms, subscribe_ack_timeout_ms, close_timeout_ms
//              (defaults for every session)
//   [[session]]
//   name = "coinone-public"   venue = "coinone"   url = "wss://stream.coinone.co.kr/"
//   format = "SHORT"                                   # Coinone: SHORT or DEFAULT (default)
//   io_thread = 1                                      # index into io_cpus (default 0)
//   subscribe = ["ORDERBOOK:XRP-KRW", "TRADE:XRP-KRW"] # venue channel ":" market
//   access_token_env = "X" secret_env = "Y"            # or *_file: MYORDER / MYASSET need them
//   [session.timers] ping_interval_ms = 15000          # overrides for this session only
//   [session.headers] X-Extra = "value"                # extra upgrade request headers
//
// Every key is checked: an unknown key, a wrong type or a value out of range is an error naming
// the file, line and key. A secret written into the file is refused.
//
// Thread: setup only. Allocates; throws std::runtime_error (never with a secret in the text).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mde/feeds/live/session.hpp"
#include "mde/runtime/live_runtime.hpp"

namespace mde {

struct LiveSessionConfig {
  std::string name;               // for reports ("coinone-public"); defaults to venue + index
  std::size_t io_thread = 0;      // which I/O thread runs it (index into LiveRunOptions::io_cpus)
  live::SessionOptions options;   // endpoint, subscriptions, timers, TLS, credentials
};

struct LiveConfig {
  LiveRunOptions run;
  std::string record_path;        // empty: no capture
  std::vector<LiveSessionConfig> sessions;
};

// Reads an environment variable by name (std::getenv by default; tests pass their own).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
[[nodiscard]] std::optional<std::string> process_environment(const std::string& name);

[[nodiscard]] LiveConfig load_live_config(const std::filesystem::path& file,
                                          const EnvLookup& env = process_environment);
// The same from text; `source` names it in error messages.
[[nodiscard]] LiveConfig parse_live_config(std::string_view toml, std::string_view source,
                                           const EnvLookup& env = process_environment);

}  // namespace mde

#include "mde/runtime/live_config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "toml_source_error.hpp"
namespace mde {
namespace {

// Errors name the file, the line and the key, and never quote a value that could be a secret.
using ConfigError = TomlSourceError;

// Refuses keys a table may not have: a typo must not silently fall back to a default.
void check_keys(const toml::table& table, std::initializer_list<std::string_view> allowed,
                std::string_view where, const ConfigError& err) {
  for (const auto& [key, node] : table) {
    const std::string_view k = key.str();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    const bool looks_secret = k.find("secret") != std::string_view::npos ||
                              k.find("token") != std::string_view::npos ||
                              k.find("key") != std::string_view::npos;
    if (looks_secret) {
      err.fail(&node, std::string(where) + "." + std::string(k),
               "secrets are never read from the config file: name an environment variable "
               "(access_token_env, secret_env) or a file (access_token_file, secret_file)");
    }
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    err.fail(&node, std::string(where) + "." + std::string(k), "unknown key (expected one of: " + list + ")");
  }
}

const toml::table* subtable(const toml::table& parent, std::string_view key, std::string_view where,
                            const ConfigError& err) {
  const toml::node* n = parent.get(key);
  if (n == nullptr) return nullptr;
  if (!n->is_table()) err.fail(n, std::string(where) + "." + std::string(key), "must be a table");
  return n->as_table();
}

std::optional<std::int64_t> get_int(const toml::table& t, std::string_view key, std::int64_t lo,
                                    std::int64_t hi, std::string_view where,
                                    const ConfigError& err) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  const std::string name = std::string(where) + "." + std::string(key);
  const auto v = n->value<std::int64_t>();
  if (!n->is_integer() || !v) err.fail(n, name, "must be an integer");
  if (*v < lo || *v > hi) {
    err.fail(n, name, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return v;
}

std::optional<bool> get_bool(const toml::table& t, std::string_view key, std::string_view where,
                             const ConfigError& err) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_boolean()) err.fail(n, std::string(where) + "." + std::string(key), "must be true or false");
  return n->value<bool>();
}

std::optional<std::string> get_string(const toml::table& t, std::string_view key,
                                      std::string_view where, const ConfigError& err) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (!n->is_string()) err.fail(n, std::string(where) + "." + std::string(key), "must be a string");
  return std::string(*n->value<std::string_view>());
}

void read_timers(const toml::table& t, live::SessionTimers& timers, std::string_view where,
                 const ConfigError& err) {
  check_keys(t,
             {"ping_interval_ms", "silence_timeout_ms", "connect_timeout_ms", "backoff_initial_ms",
              "backoff_max_ms", "backoff_after_limit_ms", "subscribe_ack_timeout_ms",
              "close_timeout_ms"},
             where, err);
  constexpr std::int64_t kDay = 86'400'000;
  const auto set = [&](std::string_view key, std::chrono::milliseconds& field) {
    if (const auto v = get_int(t, key, 1, kDay, where, err)) field = std::chrono::milliseconds(*v);
  };
  set("ping_interval_ms", timers.ping_interval);
  set("silence_timeout_ms", timers.silence_timeout);
  set("connect_timeout_ms", timers.connect_timeout);
  set("backoff_initial_ms", timers.backoff_initial);
  set("backoff_max_ms", timers.backoff_max);
  set("backoff_after_limit_ms", timers.backoff_after_limit);
  set("subscribe_ack_timeout_ms", timers.subscribe_ack_timeout);
  set("close_timeout_ms", timers.close_timeout);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A secret named by environment variable (`<what>_env`) or file (`<what>_file`); empty if
// neither is given. The value is never part of an error.
std::string read_secret(const toml::table& t, std::string_view what, std::string_view where,
                        const EnvLookup& env, const ConfigError& err) {
  const std::string env_key = std::string(what) + "_env";
  const std::string file_key = std::string(what) + "_file";
  const auto env_name = get_string(t, env_key, where, err);
  const auto file_name = get_string(t, file_key, where, err);
  if (env_name && file_name) {
    err.fail(t.get(file_key), std::string(where) + "." + file_key,
             "give either " + env_key + " or " + file_key + ", not both");
  }
  if (env_name) {
    auto value = env(*env_name);
    if (!value || value->empty()) {
      err.fail(t.get(env_key), std::string(where) + "." + env_key,
               "environment variable " + *env_name + " is not set");
    }
    return std::move(*value);
  }
  if (file_name) {
    std::ifstream in(*file_name, std::ios::binary);
    if (!in) {
      err.fail(t.get(file_key), std::string(where) + "." + file_key, "cannot read " + *file_name);
    }
    std::string value((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) {
      value.pop_back();
    }
    if (value.empty()) err.fail(t.get(file_key), std::string(where) + "." + file_key, *file_name + " is empty");
    return value;
  }
  return {};
}

// "ORDERBOOK:XRP-KRW" (or "ORDERBOOK:XRP", quote KRW) on a Coinone session.
std::string add_coinone_subscription(live::SessionOptions& o, std::string_view channel_text,
                                     std::string_view market, coinone::WireFormat format) {
  const std::string channel = upper(channel_text);
  Channel c = Channel::none;
  if (channel == "ORDERBOOK") c = Channel::book;
  else if (channel == "TRADE") c = Channel::trade;
  else if (channel == "TICKER") c = Channel::ticker;
  else if (channel == "MYORDER" || channel == "MYASSET") {
    // Private: MYORDER of one market ("MYORDER:XRP-KRW") or every market ("MYORDER"); MYASSET.
    live::CoinonePrivateSubscription p;
    p.channel = channel == "MYORDER" ? Channel::orders : Channel::assets;
    p.format = format;
    if (!market.empty()) {
      if (p.channel == Channel::assets) return "MYASSET takes no market";
      const std::size_t dash = market.find('-');
      p.targets.push_back(upper(market.substr(0, dash)));
      if (dash != std::string_view::npos) p.quote = upper(market.substr(dash + 1));
    }
    o.private_subscriptions.push_back(std::move(p));
    return {};
  } else {
    return "unknown Coinone channel '" + channel + "' (ORDERBOOK, TRADE, TICKER, MYORDER, MYASSET)";
  }
  if (market.empty()) return "Coinone " + channel + " needs a market, e.g. " + channel + ":XRP-KRW";
  const std::size_t dash = market.find('-');
  const std::string target = upper(market.substr(0, dash));
  const std::string quote = dash == std::string_view::npos ? "KRW" : upper(market.substr(dash + 1));
  if (target.empty() || quote.empty()) return "bad market '" + std::string(market) + "'";
  o.subscriptions.push_back({c, target, quote, format});
  return {};
}

// "update:BTC-USD_0" / "update:BTC-USD" / "BOOK:BTC-USD" (OSS endpoint), "tradeHistoryApi:BTC-USD"
// / "TRADE:BTC-USD" (main endpoint) on a BTSE session.
std::string add_btse_subscription(live::SessionOptions& o, std::string_view channel,
                                  std::string_view market) {
  Channel c = Channel::none;
  if (channel == "update" || upper(channel) == "BOOK") c = Channel::book;
  else if (channel == "tradeHistoryApi" || upper(channel) == "TRADE") c = Channel::trade;
  else return "unknown BTSE channel '" + std::string(channel) + "' (update, tradeHistoryApi)";
  std::string symbol = upper(market);
  if (c == Channel::book && symbol.ends_with("_0")) symbol.resize(symbol.size() - 2);
  if (symbol.empty() || symbol.find('_') != std::string::npos || symbol.find('-') == std::string::npos) {
    return "bad BTSE market '" + std::string(market) + "' (e.g. BTC-USD; grouping 0 only)";
  }
  o.btse_subscriptions.push_back({c, symbol});
  return {};
}

LiveSessionConfig read_session(const toml::table& t, std::size_t index, const LiveConfig& config,
                               const live::TlsOptions& tls, const live::SessionTimers& timers,
                               const EnvLookup& env, const ConfigError& err) {
  const std::string where = "session[" + std::to_string(index) + "]";
  check_keys(t,
             {"name", "venue", "url", "format", "subscribe", "timers", "io_thread", "access_token_env",
              "access_token_file", "secret_env", "secret_file", "headers"},
             where, err);
  LiveSessionConfig s;
  live::SessionOptions& o = s.options;
  o.tls = tls;
  o.timers = timers;
  const auto venue_text = get_string(t, "venue", where, err);
  if (!venue_text) err.fail(&t, where, "venue is required (coinone or btse)");
  const std::optional<Venue> venue = parse_venue(*venue_text);
  if (!venue || *venue == Venue::unknown || *venue == Venue::deflow) {
    err.fail(t.get("venue"), where + ".venue", "unknown venue '" + *venue_text + "' (coinone, btse)");
  }
  o.venue = *venue;
  s.io_thread = static_cast<std::size_t>(
      get_int(t, "io_thread", 0, static_cast<std::int64_t>(config.run.io_cpus.size()) - 1, where, err)
          .value_or(0));
  s.name = get_string(t, "name", where, err).value_or(std::string(to_string(o.venue)) + "-" +
                                                      std::to_string(index));
  const auto url = get_string(t, "url", where, err);
  if (!url) err.fail(&t, where, "url is required (wss://host[:port]/path)");
  try {
    o.endpoint = live::parse_wss_url(*url);
  } catch (const std::exception& e) {
    err.fail(t.get("url"), where + ".url", e.what());
  }
  coinone::WireFormat format = coinone::WireFormat::default_format;
  if (const auto f = get_string(t, "format", where, err)) {
    if (upper(*f) == "SHORT") format = coinone::WireFormat::short_format;
    else if (upper(*f) != "DEFAULT") err.fail(t.get("format"), where + ".format", "must be SHORT or DEFAULT");
    if (o.venue != Venue::coinone) err.fail(t.get("format"), where + ".format", "only Coinone has formats");
  }
  if (const toml::table* tt = subtable(t, "timers", where, err)) read_timers(*tt, o.timers, where + ".timers", err);
  if (const toml::table* h = subtable(t, "headers", where, err)) {
    for (const auto& [key, node] : *h) {
      if (!node.is_string()) err.fail(&node, where + ".headers", "header values must be strings");
      o.headers.emplace_back(std::string(key.str()), std::string(*node.value<std::string_view>()));
    }
  }
  const toml::node* subs = t.get("subscribe");
  if (subs == nullptr || !subs->is_array() || subs->as_array()->empty()) {
    err.fail(subs != nullptr ? subs : &t, where + ".subscribe",
             "a non-empty array of \"CHANNEL:MARKET\" strings is required");
  }
  for (const toml::node& n : *subs->as_array()) {
    if (!n.is_string()) err.fail(&n, where + ".subscribe", "entries must be strings");
    const std::string_view entry = *n.value<std::string_view>();
    const std::size_t colon = entry.find(':');
    const std::string_view channel = entry.substr(0, colon);
    const std::string_view market =
        colon == std::string_view::npos ? std::string_view{} : entry.substr(colon + 1);
    std::string problem;
    if (o.venue == Venue::coinone) problem = add_coinone_subscription(o, channel, market, format);
    else problem = add_btse_subscription(o, channel, market);
    if (!problem.empty()) err.fail(&n, where + ".subscribe", problem);
  }
  const std::string access = read_secret(t, "access_token", where, env, err);
  const std::string secret = read_secret(t, "secret", where, env, err);
  if (access.empty() != secret.empty()) {
    err.fail(&t, where, "a private session needs both the access token and the secret");
  }
  if (!access.empty()) {
    if (o.venue != Venue::coinone) err.fail(&t, where, "only Coinone private sessions exist so far");
    o.credentials = coinone::Credentials{coinone::Secret(access), coinone::Secret(secret)};
  }
  if (!o.private_subscriptions.empty() && access.empty()) {
    err.fail(&t, where, "MYORDER / MYASSET need credentials (access_token_env and secret_env)");
  }
  return s;
}

LiveConfig read_config(const toml::table& root, const EnvLookup& env, const ConfigError& err) {
  check_keys(root, {"runtime", "tls", "timers", "session"}, "config", err);
  LiveConfig config;
  if (const toml::table* r = subtable(root, "runtime", "config", err)) {
    check_keys(*r, {"io_cpus", "core_cpu", "queue_capacity", "busy_spin", "record"}, "runtime", err);
    if (const toml::node* cpus = r->get("io_cpus")) {
      const toml::array* list = cpus->as_array();
      if (list == nullptr || list->empty() || list->size() > 64) {
        err.fail(cpus, "runtime.io_cpus", "must be an array of 1 to 64 CPU numbers (-1: unpinned)");
      }
      config.run.io_cpus.clear();
      for (const toml::node& n : *list) {
        const auto cpu = n.value<std::int64_t>();
        if (!n.is_integer() || !cpu || *cpu < -1 || *cpu > 4095) {
          err.fail(&n, "runtime.io_cpus", "entries must be integers from -1 to 4095");
        }
        config.run.io_cpus.push_back(static_cast<int>(*cpu));
      }
    }
    config.run.core_cpu = static_cast<int>(get_int(*r, "core_cpu", -1, 4095, "runtime", err).value_or(-1));
    if (const auto q = get_int(*r, "queue_capacity", 2, 1 << 24, "runtime", err)) {
      if ((*q & (*q - 1)) != 0) err.fail(r->get("queue_capacity"), "runtime.queue_capacity", "must be a power of two");
      config.run.queue_capacity = static_cast<std::size_t>(*q);
    }
    config.run.busy_spin = get_bool(*r, "busy_spin", "runtime", err).value_or(false);
    config.record_path = get_string(*r, "record", "runtime", err).value_or("");
  }
  live::TlsOptions tls;
  if (const toml::table* t = subtable(root, "tls", "config", err)) {
    check_keys(*t, {"ca_file", "insecure_skip_verify", "tls13"}, "tls", err);
    tls.ca_file = get_string(*t, "ca_file", "tls", err).value_or("");
    tls.insecure_skip_verify = get_bool(*t, "insecure_skip_verify", "tls", err).value_or(false);
    tls.tls13 = get_bool(*t, "tls13", "tls", err).value_or(false);
  }
  live::SessionTimers timers;
  if (const toml::table* t = subtable(root, "timers", "config", err)) read_timers(*t, timers, "timers", err);
  const toml::node* sessions = root.get("session");
  if (sessions == nullptr || !sessions->is_array_of_tables() || sessions->as_array()->empty()) {
    err.fail(sessions, "config", "at least one [[session]] table is required");
  }
  std::size_t index = 0;
  for (const toml::node& n : *sessions->as_array()) {
    config.sessions.push_back(read_session(*n.as_table(), index++, config, tls, timers, env, err));
  }
  if (config.sessions.size() > kMaxConnections) {
    err.fail(sessions, "config", "at most " + std::to_string(kMaxConnections) + " sessions");
  }
  return config;
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

LiveConfig parse_live_config(std::string_view text, std::string_view source, const EnvLookup& env) {
  const ConfigError err(source);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << source << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    throw std::runtime_error(out.str());
  }
  return read_config(root, env, err);
}

LiveConfig load_live_config(const std::filesystem::path& file, const EnvLookup& env) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read config file " + file.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_live_config(text, file.string(), env);
}

}  // namespace mde

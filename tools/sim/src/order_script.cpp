// Reads the simulator's TOML order script (order_script.hpp) with toml++.
#include "mde/sim/order_script.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "mde/sim/coinone_endpoint.hpp"
#include "toml_source_error.hpp"

namespace mde::sim {
namespace {

constexpr std::int64_t kUnit = 100'000'000;  // 1e-8 units per 1
constexpr std::array<std::pair<std::string_view, ScriptStepKind>, 6> kSteps{{
    {"wait", ScriptStepKind::wait},
    {"watch", ScriptStepKind::watch},
    {"trade", ScriptStepKind::trade},
    {"trade_done", ScriptStepKind::trade_done},
    {"cancel", ScriptStepKind::cancel},
    {"cancel_post_only", ScriptStepKind::cancel_post_only},
}};

// Errors say where: "<source>:<line>:<column>: order[<n>].<key>: <what>".
using ScriptError = TomlSourceError;

// "812.5" -> 81'250'000'000 (1e-8 units); false for anything but digits with an optional point
// and at most 8 decimals, or a value too large.
bool parse_units(std::string_view text, std::int64_t& out) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || frac.size() > 8 || (dot != std::string_view::npos && frac.empty()))
    return false;
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(whole) || !digits(frac) || whole.size() > 10) return false;
  std::int64_t w = 0, f = 0;
  (void)std::from_chars(whole.data(), whole.data() + whole.size(), w);
  if (!frac.empty()) (void)std::from_chars(frac.data(), frac.data() + frac.size(), f);
  for (std::size_t i = frac.size(); i < 8; ++i) f *= 10;
  out = w * kUnit + f;
  return true;
}

// A decimal written as a string, an integer or a float (shortest form: 0.4 is "0.4").
std::int64_t units(const toml::table& t, std::string_view key, std::string_view where,
                   const ScriptError& err, bool required = true) {
  const toml::node* n = t.get(key);
  const std::string name = std::string(where) + "." + std::string(key);
  if (n == nullptr) {
    if (required) err.fail(&t, name, "missing");
    return 0;
  }
  std::string text;
  if (const auto s = n->value_exact<std::string>()) {
    text = *s;
  } else if (const auto i = n->value_exact<std::int64_t>()) {
    text = std::to_string(*i);
  } else if (const auto d = n->value_exact<double>()) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, *d);
    text.assign(buf, r.ptr);
  }
  std::int64_t v = 0;
  if (!parse_units(text, v) || v <= 0) {
    err.fail(n, name, "must be a positive decimal with at most 8 decimals (\"812.5\")");
  }
  return v;
}

std::string string_of(const toml::table& t, std::string_view key, std::string_view where,
                      const ScriptError& err, std::string_view fallback = {}) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (fallback.empty()) err.fail(&t, std::string(where) + "." + std::string(key), "missing");
    return std::string(fallback);
  }
  const auto v = n->value_exact<std::string>();
  if (!v) err.fail(n, std::string(where) + "." + std::string(key), "must be a string");
  std::string out = *v;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One step string: "wait", "trade 0.4", "trade", ...; checked against what came before.
ScriptStep read_step(const toml::node& n, const ScriptedOrder& o, std::int64_t filled,
                     const std::string& where, const ScriptError& err) {
  const auto v = n.value_exact<std::string>();
  if (!v) err.fail(&n, where, "a step is a string (\"wait\", \"trade 0.4\", \"cancel\")");
  std::string_view text = *v;
  const std::size_t space = text.find(' ');
  const std::string_view word = text.substr(0, space);
  const auto it =
      std::find_if(kSteps.begin(), kSteps.end(), [&](const auto& s) { return s.first == word; });
  if (it == kSteps.end()) {
    err.fail(&n, where,
             "unknown step (expected wait, watch, trade [QTY], trade_done, cancel, "
             "cancel_post_only)");
  }
  ScriptStep step{it->second, 0};
  if (space != std::string_view::npos) {
    std::string_view qty = text.substr(space + 1);
    if (step.kind != ScriptStepKind::trade || !parse_units(qty, step.qty) || step.qty <= 0) {
      err.fail(&n, where, "only `trade` takes a quantity, a positive decimal (\"trade 0.4\")");
    }
  } else if (step.kind == ScriptStepKind::trade) {
    step.qty = o.qty - filled;  // the remainder
  }
  if (step.kind == ScriptStepKind::trade && (step.qty <= 0 || filled + step.qty > o.qty)) {
    err.fail(&n, where, "the fills would exceed the order's qty");
  }
  return step;
}

// The order of steps a venue could send (see the header).
void check_sequence(const ScriptStep& s, const ScriptedOrder& o, std::size_t index, bool opened,
                    bool ended, std::int64_t filled, const toml::node& n, const std::string& where,
                    const ScriptError& err) {
  using K = ScriptStepKind;
  if (ended) err.fail(&n, where, "nothing may follow trade_done, cancel or cancel_post_only");
  switch (s.kind) {
    case K::watch:
      if (o.type != ScriptOrderType::stop_limit || index != 0) {
        err.fail(&n, where, "watch is the first step of a stop_limit order only");
      }
      break;
    case K::wait:
      if (opened) err.fail(&n, where, "the order is already open");
      if (o.type == ScriptOrderType::stop_limit && index == 0) {
        err.fail(&n, where, "a stop_limit order starts with watch");
      }
      break;
    case K::trade:
      if (!opened) err.fail(&n, where, "the order is not open yet (wait first)");
      break;
    case K::cancel:  // an open order, or a stop order still in watch
      if (index == 0) err.fail(&n, where, "the order is not placed yet (wait or watch first)");
      if (filled == o.qty) err.fail(&n, where, "nothing is left to cancel");
      break;
    case K::trade_done:
      if (filled != o.qty) err.fail(&n, where, "trade_done needs the fills to add up to qty");
      break;
    case K::cancel_post_only:
      if (!o.post_only) err.fail(&n, where, "cancel_post_only needs post_only = true");
      if (filled != 0) err.fail(&n, where, "a post-only order is cancelled before any fill");
      break;
  }
}

ScriptedOrder read_order(const toml::table& t, std::size_t index, const ScriptError& err) {
  const std::string where = "order[" + std::to_string(index) + "]";
  for (const auto& [key, node] : t) {
    constexpr std::array<std::string_view, 7> kKeys{"market", "side",      "type", "price",
                                                    "qty",    "post_only", "steps"};
    if (std::find(kKeys.begin(), kKeys.end(), key.str()) == kKeys.end()) {
      err.fail(&node, where + "." + std::string(key.str()),
               "unknown key (expected market, side, type, price, qty, post_only, steps)");
    }
  }
  ScriptedOrder o;
  o.market = string_of(t, "market", where, err);
  for (char& c : o.market) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (o.market.ends_with("-KRW")) o.market.resize(o.market.size() - 4);
  const auto& known = coinone_markets();
  if (std::find(known.begin(), known.end(), o.market) == known.end()) {
    std::string list;
    for (const std::string& m : known) list += (list.empty() ? "" : ", ") + m;
    err.fail(t.get("market"), where + ".market", "not a simulated market (" + list + ")");
  }
  const std::string side = string_of(t, "side", where, err);
  if (side != "bid" && side != "ask" && side != "buy" && side != "sell") {
    err.fail(t.get("side"), where + ".side", "must be bid or ask");
  }
  o.bid = side == "bid" || side == "buy";
  const std::string type = string_of(t, "type", where, err, "limit");
  if (type == "limit")
    o.type = ScriptOrderType::limit;
  else if (type == "market")
    o.type = ScriptOrderType::market;
  else if (type == "stop_limit")
    o.type = ScriptOrderType::stop_limit;
  else
    err.fail(t.get("type"), where + ".type", "must be limit, market or stop_limit");
  o.price = units(t, "price", where, err);
  o.qty = units(t, "qty", where, err);
  if (const toml::node* n = t.get("post_only")) {
    const auto v = n->value_exact<bool>();
    if (!v) err.fail(n, where + ".post_only", "must be true or false");
    o.post_only = *v;
    if (o.post_only && o.type == ScriptOrderType::market) {
      err.fail(n, where + ".post_only", "a market order cannot be post-only");
    }
  }
  const toml::array* steps = t.get_as<toml::array>("steps");
  if (steps == nullptr || steps->empty()) {
    err.fail(t.get("steps") != nullptr ? t.get("steps") : &t, where + ".steps",
             "a non-empty array of steps is required ([\"wait\", \"cancel\"])");
  }
  std::int64_t filled = 0;
  bool opened = false, ended = false;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const toml::node& n = *steps->get(i);
    const std::string at = where + ".steps[" + std::to_string(i) + "]";
    const ScriptStep s = read_step(n, o, filled, at, err);
    check_sequence(s, o, i, opened, ended, filled, n, at, err);
    if (s.kind == ScriptStepKind::wait) opened = true;
    if (s.kind == ScriptStepKind::trade) filled += s.qty;
    ended = s.kind == ScriptStepKind::trade_done || s.kind == ScriptStepKind::cancel ||
            s.kind == ScriptStepKind::cancel_post_only;
    o.steps.push_back(s);
  }
  return o;
}

}  // namespace

OrderScript parse_order_script(std::string_view text, std::string_view source) {
  const ScriptError err(source);
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << source << ':' << e.source().begin.line << ':' << e.source().begin.column << ": "
        << e.description();
    throw std::runtime_error(out.str());
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "order") err.fail(&node, key.str(), "unknown key (expected [[order]] tables)");
  }
  const toml::array* orders = root.get_as<toml::array>("order");
  if (orders == nullptr || orders->empty() || !orders->is_array_of_tables()) {
    err.fail(root.get("order"), "order", "no [[order]] tables");
  }
  OrderScript script;
  for (std::size_t i = 0; i < orders->size(); ++i) {
    script.orders.push_back(read_order(*orders->get(i)->as_table(), i, err));
  }
  return script;
}

OrderScript read_order_script(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open the order script");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_order_script(text.str(), path.string());
}

ScriptOutcome script_outcome(const ScriptedOrder& order) noexcept {
  ScriptOutcome out;
  for (const ScriptStep& s : order.steps) {
    out.last = s.kind;
    if (s.kind == ScriptStepKind::trade) out.filled += s.qty;
  }
  return out;
}

}  // namespace mde::sim

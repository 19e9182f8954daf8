#include "mde/sim/fault_schedule.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "mde/sim/simulator.hpp"

namespace mde::sim {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

[[noreturn]] void fail(std::string_view spec, const std::string& why) {
  throw std::invalid_argument("--fault " + std::string(spec) + ": " + why);
}

std::int64_t integer(std::string_view spec, std::string_view text, const char* what,
                     std::int64_t lo, std::int64_t hi) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < lo || v > hi) {
    fail(spec, std::string(what) + " must be an integer from " + std::to_string(lo) + " to " +
                   std::to_string(hi) + ", not \"" + std::string(text) + "\"");
  }
  return v;
}

std::chrono::milliseconds seconds(std::string_view spec, std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v) ||
      v < 0 || v > 86400.0 * 365) {
    fail(spec, "the time must be seconds since start (0 or more, e.g. 2.5), not \"" +
                   std::string(text) + "\"");
  }
  return std::chrono::milliseconds(std::llround(v * 1000));
}

struct KindName {
  std::string_view name;
  FaultKind kind;
  std::size_t min_args, max_args;
};
constexpr KindName kKinds[] = {
    {"drop", FaultKind::drop, 0, 0},
    {"stall", FaultKind::stall, 1, 1},
    {"malformed", FaultKind::malformed, 1, 1},
    {"close", FaultKind::close, 1, 1},
    {"btse-gap", FaultKind::btse_gap, 1, 1},
    {"btse-cross", FaultKind::btse_cross, 1, 1},
    {"order-duplicate", FaultKind::order_duplicate, 0, 0},
    {"order-reorder", FaultKind::order_reorder, 0, 0},
    {"refuse-subscribes", FaultKind::refuse_subscribes, 2, 3},
    {"ignore-subscribes", FaultKind::ignore_subscribes, 1, 1},
};

}  // namespace

ScheduledFault parse_fault(std::string_view spec) {
  const std::vector<std::string_view> parts = split(spec, ':');
  if (parts.size() < 2) fail(spec, "expected AT:KIND[:ARG...], e.g. 3:drop or 5:btse-gap:BTC-USD");
  ScheduledFault f;
  f.spec = std::string(spec);
  f.at = seconds(spec, parts[0]);
  const auto* k = std::find_if(std::begin(kKinds), std::end(kKinds),
                               [&](const KindName& n) { return n.name == parts[1]; });
  if (k == std::end(kKinds)) {
    std::string known;
    for (const KindName& n : kKinds) known += (known.empty() ? "" : ", ") + std::string(n.name);
    fail(spec, "unknown fault \"" + std::string(parts[1]) + "\" (known: " + known + ")");
  }
  f.kind = k->kind;
  const std::size_t args = parts.size() - 2;
  if (args < k->min_args || args > k->max_args) {
    fail(spec, std::string(k->name) + " takes " + std::to_string(k->min_args) +
                   (k->max_args != k->min_args ? " to " + std::to_string(k->max_args) : "") +
                   " argument(s), not " + std::to_string(args));
  }
  switch (f.kind) {
    case FaultKind::stall: f.count = integer(spec, parts[2], "MS", 1, 3'600'000); break;
    case FaultKind::malformed: f.count = integer(spec, parts[2], "N", 1, 1'000'000); break;
    case FaultKind::close: f.count = integer(spec, parts[2], "CODE", 1000, 4999); break;
    case FaultKind::btse_gap:
    case FaultKind::btse_cross:
      if (parts[2].empty()) fail(spec, "the BTSE market is missing (e.g. BTC-USD)");
      f.text = std::string(parts[2]);
      break;
    case FaultKind::refuse_subscribes:
      f.count = integer(spec, parts[2], "N", 1, 1'000'000);
      f.code = integer(spec, parts[3], "CODE", 1, 999'999);
      if (parts.size() > 4) f.text = std::string(parts[4]);
      break;
    case FaultKind::ignore_subscribes: f.count = integer(spec, parts[2], "N", 1, 1'000'000); break;
    case FaultKind::drop:
    case FaultKind::order_duplicate:
    case FaultKind::order_reorder: break;
  }
  return f;
}

std::vector<ScheduledFault> parse_fault_schedule(const std::vector<std::string>& specs) {
  std::vector<ScheduledFault> faults;
  faults.reserve(specs.size());
  for (const std::string& s : specs) faults.push_back(parse_fault(s));
  std::stable_sort(faults.begin(), faults.end(),
                   [](const ScheduledFault& a, const ScheduledFault& b) { return a.at < b.at; });
  return faults;
}

void apply_fault(Simulator& simulator, const ScheduledFault& f) {
  switch (f.kind) {
    case FaultKind::drop: simulator.drop_connections(); break;
    case FaultKind::stall: simulator.stall(std::chrono::milliseconds(f.count)); break;
    case FaultKind::malformed: simulator.send_malformed(static_cast<std::uint32_t>(f.count)); break;
    case FaultKind::close: simulator.close_all(static_cast<std::uint16_t>(f.count)); break;
    case FaultKind::btse_gap: simulator.btse_skip_sequence(f.text); break;
    case FaultKind::btse_cross: simulator.btse_cross_book(f.text); break;
    case FaultKind::order_duplicate: simulator.duplicate_next_order_event(); break;
    case FaultKind::order_reorder: simulator.reorder_next_order_events(); break;
    case FaultKind::refuse_subscribes:
      simulator.refuse_next_subscribes(static_cast<std::uint32_t>(f.count), f.code, f.text);
      break;
    case FaultKind::ignore_subscribes:
      simulator.ignore_next_subscribes(static_cast<std::uint32_t>(f.count));
      break;
  }
}

}  // namespace mde::sim

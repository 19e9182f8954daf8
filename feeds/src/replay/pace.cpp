#include <charconv>

#include "mde/feeds/replay/replay_producer.hpp"

namespace mde::replay {

std::optional<Pace> parse_pace(std::string_view text) noexcept {
  if (text == "max") return Pace{PaceMode::max, 1.0};
  if (text == "recorded") return Pace{PaceMode::recorded, 1.0};
  if (text.size() < 2 || text.back() != 'x') return std::nullopt;
  text.remove_suffix(1);
  double speed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), speed);
  if (ec != std::errc{} || end != text.data() + text.size() || !(speed > 0) || speed > 1e9) {
    return std::nullopt;
  }
  return Pace{PaceMode::recorded, speed};
}

}  // namespace mde::replay

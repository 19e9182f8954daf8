// Rewrites of a JSON frame for decoder tests (tests only; allocates): the same content with other
// key orders or extra unknown keys must decode to the same events.
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace mde::test {

using Json = nlohmann::ordered_json;

// Every object's keys in reverse order, recursively ("data" comes before "channel").
Json reversed(const Json& j);

// The top-level key `key` moved to the end (e.g. response_type after data).
std::string moved_last(const std::string& frame, const std::string& key);

// `base` with its one occurrence of `from` replaced by `to`; throws unless `from` occurs exactly
// once (a test that edits the wrong place, or nothing, must not pass).
inline std::string with(std::string_view base, std::string_view from, std::string_view to) {
  std::string s(base);
  const auto at = s.find(from);
  if (at == std::string::npos || s.find(from, at + 1) != std::string::npos) {
    throw std::runtime_error("with(): '" + std::string(from) + "' must occur exactly once");
  }
  s.replace(at, from.size(), to);
  return s;
}

// Unknown keys of every JSON type added to every object, before and after the known ones.
Json with_unknown_keys(const Json& j);

}  // namespace mde::test

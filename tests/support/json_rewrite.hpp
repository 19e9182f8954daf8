// Rewrites of a JSON frame for decoder tests (tests only; allocates): the same content with other
// key orders or extra unknown keys must decode to the same events.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mde::test {

using Json = nlohmann::ordered_json;

// Every object's keys in reverse order, recursively ("data" comes before "channel").
Json reversed(const Json& j);

// The top-level key `key` moved to the end (e.g. response_type after data).
std::string moved_last(const std::string& frame, const std::string& key);

// Unknown keys of every JSON type added to every object, before and after the known ones.
Json with_unknown_keys(const Json& j);

}  // namespace mde::test

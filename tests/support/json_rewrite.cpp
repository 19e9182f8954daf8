#include "support/json_rewrite.hpp"

#include <utility>
#include <vector>

namespace mde::test {

Json reversed(const Json& j) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(reversed(e));
    return out;
  }
  if (!j.is_object()) return j;
  std::vector<std::pair<std::string, Json>> items;
  for (auto it = j.begin(); it != j.end(); ++it) items.emplace_back(it.key(), reversed(it.value()));
  Json out = Json::object();
  for (auto it = items.rbegin(); it != items.rend(); ++it) out[it->first] = it->second;
  return out;
}

std::string moved_last(const std::string& frame, const std::string& key) {
  const Json j = Json::parse(frame);
  Json out = Json::object();
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != key) out[it.key()] = it.value();
  }
  if (j.contains(key)) out[key] = j.at(key);
  return out.dump();
}

Json with_unknown_keys(const Json& j) {
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(with_unknown_keys(e));
    return out;
  }
  if (!j.is_object()) return j;
  Json out = Json::object();
  out["zz_unknown_object"] = Json::parse(R"({"a":{"b":[1,2,{"c":null}]},"d":"e"})");
  out["zz_unknown_string"] = "esc\"aped \\ \u00e9 \n text";
  for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = with_unknown_keys(it.value());
  out["zz_unknown_array"] = Json::parse(R"([[],{},[[1.5e3]],"x",true,false,null])");
  out["zz_unknown_number"] = -12.5e-3;
  out["zz_unknown_bool"] = true;
  out["zz_unknown_null"] = nullptr;
  return out;
}

}  // namespace mde::test

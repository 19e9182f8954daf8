// Coinone frames decoded with nlohmann::json into the same mde::Event, for the decode benchmark.
//
// Written the way most C++ users write it: `json::parse` per frame into a fresh value (which
// allocates its objects, arrays and strings), then lookups by key. The non-throwing parse
// overload is used so a bad frame is a status like everywhere else; its cost is the same.
// Strings are read by reference (get_ref), not copied out, which is kinder than typical code.
//
// Thread: one instance per thread. decode() allocates (that is what is being measured).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "feeds/coinone_dom_decode.hpp"
#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::bench {

// The DOM adapter coinone_dom::decode expects, over nlohmann::json.
struct NlohmannDom {
  using Value = nlohmann::json;

  static const Value* find(const Value& object, const char* key) noexcept {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }
  static bool is_null(const Value& v) noexcept { return v.is_null(); }
  static bool string(const Value& v, std::string_view& out) noexcept {
    if (!v.is_string()) return false;
    out = v.get_ref<const std::string&>();
    return true;
  }
  static bool int64(const Value& v, std::int64_t& out) noexcept {
    if (!v.is_number_integer()) return false;
    out = v.get<std::int64_t>();
    return true;
  }
  static bool uint64(const Value& v, std::uint64_t& out) noexcept {
    if (!v.is_number_unsigned()) return false;
    out = v.get<std::uint64_t>();
    return true;
  }
  static bool boolean(const Value& v, bool& out) noexcept {
    if (!v.is_boolean()) return false;
    out = v.get<bool>();
    return true;
  }
  template <class Fn>
  static bool each(const Value& array, Fn&& fn) {
    if (!array.is_array()) return false;
    for (const Value& element : array) {
      if (!fn(element)) return false;
    }
    return true;
  }
};

class NlohmannDecoder {
 public:
  explicit NlohmannDecoder(const InstrumentRegistry& registry, std::uint32_t connection = 0)
      : registry_(registry), connection_(connection) {}

  [[nodiscard]] DecodeStatus decode(FrameView frame, Event& out) {
    const nlohmann::json root = nlohmann::json::parse(frame.data, frame.data + frame.size,
                                                      /*cb=*/nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      out.header.kind = EventKind::none;
      return DecodeStatus::malformed_json;
    }
    return coinone_dom::decode<NlohmannDom>(root, registry_, connection_, out);
  }

 private:
  const InstrumentRegistry& registry_;
  std::uint32_t connection_;
};

}  // namespace mde::bench

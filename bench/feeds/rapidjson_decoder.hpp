// Coinone frames decoded with a RapidJSON DOM (`Document::Parse`, the way ccapi does it) into the
// same mde::Event, for the decode benchmark.
//
// Used the way a careful user would: one Document per thread, reused for every frame, its value
// and parse-stack allocators both backed by fixed user buffers and cleared before each parse, so
// steady-state decoding never calls malloc (a Document reused with its default allocator would
// grow its pool on every parse). Default parse flags, as ccapi uses them (no UTF-8 validation:
// less work than simdjson does).
//
// Thread: one instance per thread. Setup allocates; decode() does not while frames fit the
// buffers.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "feeds/coinone_dom_decode.hpp"
#include "mde/core/events.hpp"
#include "mde/core/frame.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/decode_status.hpp"

namespace mde::bench {

// The DOM adapter coinone_dom::decode expects, over rapidjson::Value.
struct RapidJsonDom {
  using Value = rapidjson::Value;

  static const Value* find(const Value& object, const char* key) noexcept {
    if (!object.IsObject()) return nullptr;
    const auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
  }
  static bool is_null(const Value& v) noexcept { return v.IsNull(); }
  static bool string(const Value& v, std::string_view& out) noexcept {
    if (!v.IsString()) return false;
    out = {v.GetString(), v.GetStringLength()};
    return true;
  }
  static bool int64(const Value& v, std::int64_t& out) noexcept {
    if (!v.IsInt64()) return false;
    out = v.GetInt64();
    return true;
  }
  static bool uint64(const Value& v, std::uint64_t& out) noexcept {
    if (!v.IsUint64()) return false;
    out = v.GetUint64();
    return true;
  }
  static bool boolean(const Value& v, bool& out) noexcept {
    if (!v.IsBool()) return false;
    out = v.GetBool();
    return true;
  }
  template <class Fn>
  static bool each(const Value& array, Fn&& fn) {
    if (!array.IsArray()) return false;
    for (const Value& element : array.GetArray()) {
      if (!fn(element)) return false;
    }
    return true;
  }
};

// A RapidJSON Document used the careful way (see the top of this file): fixed user buffers for
// both allocators, cleared before each parse. Shared by the Coinone and BTSE competitors.
class RapidJsonParser {
 public:
  RapidJsonParser()
      : value_buffer_(new char[kValueBufferBytes]),
        stack_buffer_(new char[kStackBufferBytes]),
        value_pool_(value_buffer_.get(), kValueBufferBytes),
        stack_pool_(stack_buffer_.get(), kStackBufferBytes),
        document_(&value_pool_, kStackCapacity, &stack_pool_) {}

  // `frame` must be NUL-terminated (a zeroed PaddedBuffer is): Parse(const char*) is the fast
  // RapidJSON entry point and the one ccapi calls. Null on a parse error.
  template <unsigned Flags = rapidjson::kParseDefaultFlags>
  [[nodiscard]] const rapidjson::Value* parse(FrameView frame) noexcept {
    value_pool_.Clear();
    stack_pool_.Clear();
    document_.Parse<Flags>(frame.data);
    return document_.HasParseError() ? nullptr : &document_;
  }

  // True while the last parse fitted the user buffers (no chunk was malloc'ed).
  [[nodiscard]] bool stayed_in_buffers() const noexcept {
    return value_pool_.Capacity() <= kValueBufferBytes &&
           stack_pool_.Capacity() <= kStackBufferBytes;
  }

 private:
  using Pool = rapidjson::MemoryPoolAllocator<>;
  using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
  static constexpr std::size_t kValueBufferBytes = 256 * 1024;
  static constexpr std::size_t kStackBufferBytes = 64 * 1024;
  static constexpr std::size_t kStackCapacity = 1024;

  std::unique_ptr<char[]> value_buffer_;
  std::unique_ptr<char[]> stack_buffer_;
  Pool value_pool_;
  Pool stack_pool_;
  Document document_;
};

class RapidJsonDecoder {
 public:
  explicit RapidJsonDecoder(const InstrumentRegistry& registry, std::uint32_t connection = 0)
      : registry_(registry), connection_(connection) {}

  [[nodiscard]] DecodeStatus decode(FrameView frame, Event& out) noexcept {
    const rapidjson::Value* root = parser_.parse(frame);
    if (root == nullptr) {
      out.header.kind = EventKind::none;
      return DecodeStatus::malformed_json;
    }
    return coinone_dom::decode<RapidJsonDom>(*root, registry_, connection_, out);
  }

  [[nodiscard]] bool stayed_in_buffers() const noexcept { return parser_.stayed_in_buffers(); }

 private:
  const InstrumentRegistry& registry_;
  std::uint32_t connection_;
  RapidJsonParser parser_;
};

}  // namespace mde::bench

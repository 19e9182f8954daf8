// FixedString<N>: up to N bytes of text stored inline, for identifiers carried in events
// (order ids, trade ids, client order ids, currency codes). No heap, trivially copyable.
//
// Thread: any. Never allocates. Default construction leaves it uninitialised (like an int) so
// that events stay trivially constructible; `FixedString<N>{}` is the empty string. Only the
// first size() bytes are meaningful: compare through view() or operator==.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace mde {

template <std::size_t N>
class FixedString {
  static_assert(N > 0 && N < 256, "length must fit in one byte");

 public:
  static constexpr std::size_t kCapacity = N;

  FixedString() = default;

  // Returns false (and leaves the string empty) when `text` is longer than N.
  [[nodiscard]] bool assign(std::string_view text) noexcept {
    if (text.size() > N) {
      size_ = 0;
      return false;
    }
    std::memcpy(data_, text.data(), text.size());
    size_ = static_cast<std::uint8_t>(text.size());
    return true;
  }
  void clear() noexcept { size_ = 0; }

  [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  friend bool operator==(const FixedString& a, const FixedString& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator==(const FixedString& a, std::string_view b) noexcept {
    return a.view() == b;
  }

 private:
  char data_[N];
  std::uint8_t size_;
};

// Venue identifiers: order ids, trade ids and client order ids. 47 bytes covers a 36-character
// UUID and every decimal or alphanumeric id the venue documents show.
using ExchangeId = FixedString<47>;
// Currency codes such as "KRW" or "USDT".
using CurrencyCode = FixedString<15>;

static_assert(sizeof(ExchangeId) == 48 && std::is_trivially_copyable_v<ExchangeId> &&
              std::is_trivially_default_constructible_v<ExchangeId>);
static_assert(sizeof(CurrencyCode) == 16);

}  // namespace mde

// Frames: raw bytes of one WebSocket message, with read-ahead padding behind them.
//
// SIMD parsers read up to kFramePadding bytes past the end of a frame. A FrameView promises that
// those bytes are readable; PaddedBuffer is the owned storage that keeps that promise. The bytes
// of the padding are never interpreted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace mde {

inline constexpr std::size_t kFramePadding = 64;

// Non-owning. Invariant: [data, data + size + kFramePadding) is readable.
struct FrameView {
  const char* data;
  std::size_t size;

  [[nodiscard]] std::string_view text() const noexcept { return {data, size}; }
};

// Owned, fixed-capacity, padded storage for one frame at a time. Allocates once, in the
// constructor; assign() never allocates.
class PaddedBuffer {
 public:
  explicit PaddedBuffer(std::size_t capacity)
      : storage_(new char[capacity + kFramePadding]()), capacity_(capacity) {}

  // Copies `bytes` in; false (and an empty frame) when it does not fit.
  [[nodiscard]] bool assign(std::string_view bytes) noexcept {
    if (bytes.size() > capacity_) {
      size_ = 0;
      return false;
    }
    std::memcpy(storage_.get(), bytes.data(), bytes.size());
    std::memset(storage_.get() + bytes.size(), 0, kFramePadding);
    size_ = bytes.size();
    return true;
  }
  // For readers that fill the buffer in place (e.g. a socket read): write into data(), then
  // commit(n). Padding stays readable because it is allocated; its content is irrelevant.
  [[nodiscard]] char* data() noexcept { return storage_.get(); }
  void commit(std::size_t n) noexcept { size_ = n <= capacity_ ? n : capacity_; }

  [[nodiscard]] FrameView view() const noexcept { return {storage_.get(), size_}; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace mde

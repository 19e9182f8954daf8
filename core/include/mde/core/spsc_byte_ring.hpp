// SpscByteRing: a bounded single-producer/single-consumer ring of variable-length byte records
// (a frame recorder's hand-off from an I/O thread to a writer thread).
//
// Design: one preallocated byte array of a power-of-two capacity, indexed by mask. A record is an
// 8-byte header (u32 payload length, u32 kind) followed by its payload, padded to 8 bytes; a
// record never wraps: when it does not fit before the end of the array the producer writes a pad
// record over the rest and starts again at 0. The producer owns `tail_` (bytes written, counting
// up forever) and a cached copy of the consumer's `head_`; the consumer owns `head_` and a cached
// copy of `tail_`. Each index sits on its own 128-byte block next to the cache only its owner
// touches (as SpscRing), so a side reads the peer's index only when its cache says full / empty.
//
// Full is a value, never a wait: try_reserve() returns nullptr and the caller counts the loss
// (a recorder must never slow the thread it records). A payload larger than max_payload()
// (half the capacity less a header) never fits and is refused the same way.
//
// Threads: exactly one producer (try_reserve/commit) and one consumer (front/pop). Allocation and
// the touch of every page happen once, in the constructor; every other call is noexcept,
// lock-free, wait-free and never allocates.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>

#include "mde/core/spsc_ring.hpp"

namespace mde {

class SpscByteRing {
 public:
  static constexpr std::size_t kHeaderBytes = 8;
  static constexpr std::size_t kAlign = 8;
  static constexpr std::size_t kMinCapacity = 4096;

  // `capacity_bytes` must be a power of two of at least kMinCapacity; throws std::invalid_argument
  // otherwise (setup). Allocates and touches the whole array so the hot path never page-faults.
  explicit SpscByteRing(std::size_t capacity_bytes)
      : capacity_(checked_capacity(capacity_bytes)),
        mask_(capacity_ - 1),
        bytes_(std::make_unique<unsigned char[]>(capacity_)) {}  // zeroed: every page touched

  SpscByteRing(const SpscByteRing&) = delete;
  SpscByteRing& operator=(const SpscByteRing&) = delete;

  // ---- producer ------------------------------------------------------------------------------

  // Room for a record of `size` payload bytes, contiguous, or nullptr when the ring has no room
  // (or `size` > max_payload()). Write the payload there, then commit(). Reserving again before
  // commit() abandons the earlier reservation. Never allocates, never waits.
  [[nodiscard]] unsigned char* try_reserve(std::size_t size) noexcept {
    if (size > max_payload()) return nullptr;
    const std::size_t need = record_bytes(size);
    const std::uint64_t tail = producer_.tail.load(std::memory_order_relaxed);
    const std::size_t at = static_cast<std::size_t>(tail) & mask_;
    const std::size_t to_end = capacity_ - at;
    const std::size_t pad = to_end < need ? to_end : 0;
    if (!has_room(tail, pad + need)) return nullptr;
    std::size_t pos = at;
    if (pad != 0) {
      write_header(at, static_cast<std::uint32_t>(pad - kHeaderBytes), kPad);
      pos = 0;
    }
    write_header(pos, static_cast<std::uint32_t>(size), kData);
    producer_.pending = tail + pad + need;
    return bytes_.get() + pos + kHeaderBytes;
  }

  // Publishes the record last reserved.
  void commit() noexcept { producer_.tail.store(producer_.pending, std::memory_order_release); }

  // ---- consumer ------------------------------------------------------------------------------

  // The oldest record's payload, or an empty span when there is none. Stays valid until pop().
  [[nodiscard]] std::span<const unsigned char> front() noexcept {
    for (;;) {
      std::uint64_t head = consumer_.head.load(std::memory_order_relaxed);
      if (head == consumer_.tail_cache) {
        consumer_.tail_cache = producer_.tail.load(std::memory_order_acquire);
        if (head == consumer_.tail_cache) return {};
      }
      const std::size_t at = static_cast<std::size_t>(head) & mask_;
      std::uint32_t size = 0, kind = 0;
      std::memcpy(&size, bytes_.get() + at, 4);
      std::memcpy(&kind, bytes_.get() + at + 4, 4);
      if (kind == kPad) {  // skip to the start of the array
        head += kHeaderBytes + size;
        consumer_.head.store(head, std::memory_order_release);
        continue;
      }
      consumer_.front_bytes = record_bytes(size);
      return {bytes_.get() + at + kHeaderBytes, size};
    }
  }

  // Releases the record front() returned (its bytes become the producer's again).
  void pop() noexcept {
    consumer_.head.store(consumer_.head.load(std::memory_order_relaxed) + consumer_.front_bytes,
                         std::memory_order_release);
    consumer_.front_bytes = 0;
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::size_t max_payload() const noexcept {
    return capacity_ / 2 - kHeaderBytes;
  }
  // Bytes the ring takes for a payload of `size` (header and padding included).
  [[nodiscard]] static constexpr std::size_t record_bytes(std::size_t size) noexcept {
    return (kHeaderBytes + size + kAlign - 1) & ~(kAlign - 1);
  }

 private:
  static constexpr std::uint32_t kData = 1;
  static constexpr std::uint32_t kPad = 2;

  static std::size_t checked_capacity(std::size_t c) {
    if (c < kMinCapacity || !std::has_single_bit(c)) {
      throw std::invalid_argument("SpscByteRing: capacity must be a power of two >= 4096");
    }
    return c;
  }

  [[nodiscard]] bool has_room(std::uint64_t tail, std::size_t bytes) noexcept {
    if (tail + bytes - producer_.head_cache <= capacity_) return true;
    producer_.head_cache = consumer_.head.load(std::memory_order_acquire);
    return tail + bytes - producer_.head_cache <= capacity_;
  }

  void write_header(std::size_t at, std::uint32_t size, std::uint32_t kind) noexcept {
    std::memcpy(bytes_.get() + at, &size, 4);
    std::memcpy(bytes_.get() + at + 4, &kind, 4);
  }

  struct alignas(detail::kFalseSharingRange) ProducerSide {
    std::atomic<std::uint64_t> tail{0};
    std::uint64_t head_cache = 0;  // the consumer's head as last seen
    std::uint64_t pending = 0;     // tail after the reserved record (commit() stores it)
  };
  struct alignas(detail::kFalseSharingRange) ConsumerSide {
    std::atomic<std::uint64_t> head{0};
    std::uint64_t tail_cache = 0;  // the producer's tail as last seen
    std::size_t front_bytes = 0;   // ring bytes of the record front() returned
  };

  const std::size_t capacity_;
  const std::size_t mask_;
  std::unique_ptr<unsigned char[]> bytes_;
  ProducerSide producer_;
  ConsumerSide consumer_;
};

static_assert(alignof(SpscByteRing) == detail::kFalseSharingRange);
static_assert(SpscByteRing::record_bytes(0) == 8 && SpscByteRing::record_bytes(1) == 16 &&
              SpscByteRing::record_bytes(8) == 16);

}  // namespace mde

// SendStampTable: when each message was sent, keyed by an id the receiving side sees again (a
// trade id, a book id), for measuring sender -> callback latency between two threads of one
// process (the simulator and a strategy). A measurement aid, never on a production path.
//
// Design: a fixed, power-of-two table of (key, ns) slots indexed by a multiplicative hash of the
// key; a newer key overwrites its slot (the table remembers the latest `capacity` sends, which
// must cover the messages in flight). Each slot is a tiny seqlock: the writer clears the key,
// writes the time, then publishes the key (release); a reader takes the time only if it read the
// same key before and after it, so a torn read is a miss, never a wrong time.
//
// Threads: one writer (the sender's thread), any readers. put()/find() never allocate, lock or
// wait; the constructor allocates (setup).
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace mde {

class SendStampTable {
 public:
  // `capacity` is rounded up to a power of two (at least 2).
  explicit SendStampTable(std::size_t capacity = std::size_t{1} << 16)
      : mask_(std::bit_ceil(capacity < 2 ? std::size_t{2} : capacity) - 1),
        slots_(std::make_unique<Slot[]>(mask_ + 1)) {}

  // Records that the message with `key` (non-zero) was sent at `ns`.
  void put(std::uint64_t key, std::int64_t ns) noexcept {
    Slot& s = slots_[index(key)];
    s.key.store(0, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    s.ns.store(ns, std::memory_order_relaxed);
    s.key.store(key, std::memory_order_release);
  }

  // When `key` was sent, if the table still holds it.
  [[nodiscard]] std::optional<std::int64_t> find(std::uint64_t key) const noexcept {
    const Slot& s = slots_[index(key)];
    if (key == 0 || s.key.load(std::memory_order_acquire) != key) return std::nullopt;
    const std::int64_t ns = s.ns.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (s.key.load(std::memory_order_relaxed) != key) return std::nullopt;
    return ns;
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }

 private:
  struct Slot {
    std::atomic<std::uint64_t> key{0};
    std::atomic<std::int64_t> ns{0};
  };
  static_assert(sizeof(Slot) == 16);

  [[nodiscard]] std::size_t index(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }

  std::size_t mask_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace mde

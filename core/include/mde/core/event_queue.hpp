// The engine's cross-thread queue (feed/replay thread -> core thread) and the producer-side
// policies: back-pressure (wait for space) and the opt-in drop policy (count what was dropped).
//
// EventQueue<T> is the default queue: SpscRing<T>. MoodycamelQueue<T> (a pre-sized
// moodycamel::ReaderWriterQueue) is the measured alternative. Both offer the same core API, so
// code written against it works with either:
//   producer: try_enqueue(const T&), try_emplace(args...)          -> false when full
//   consumer: front()/peek() -> T* or nullptr, then pop()          (consume in place)
//   any:      size_approx(), capacity()
// SpscRing<T> adds try_claim()/publish() (the ClaimingQueue concept): decode straight into the
// slot, so only the bytes an event uses are written and moved between cores. With a 2112-byte
// Event that is what keeps the hand-off cheap; see docs/PERFORMANCE.md, "Queue hop".
#pragma once

#include <atomic>
#include <bit>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <readerwriterqueue/readerwriterqueue.h>

#include "mde/core/idle_strategy.hpp"
#include "mde/core/sanitizers.hpp"
#include "mde/core/spsc_ring.hpp"

namespace mde {

// MoodycamelQueue<T>: a thin wrapper over one pre-sized moodycamel::ReaderWriterQueue block.
//
// Design: the producer thread owns the tail index and the enqueue calls; the consumer thread
// owns the front index and front()/pop(). The capacity is fixed at construction: one block of
// a power-of-two number of slots (moodycamel keeps one slot free, so capacity() is slots - 1),
// allocated there and nowhere else: the wrapper only ever calls moodycamel's try_* methods,
// which never allocate. Debug builds assert the single-producer/single-consumer contract.
//
// Under ThreadSanitizer (MDE_TSAN) the wrapper also keeps a pair of hand-off counters with
// acquire/release atomics: moodycamel orders its element writes with std::atomic_thread_fence,
// which TSan does not model, so without them every element read would be reported as a race.
// The counters only ever make the queue look fuller or emptier for an instant; release builds
// do not have them.
template <typename T>
class MoodycamelQueue {
  // One block, never a chain: large enough that moodycamel never splits the ring.
  static constexpr std::size_t kMaxSlots = std::size_t{1} << 24;
  using Inner = moodycamel::ReaderWriterQueue<T, kMaxSlots>;

 public:
  using value_type = T;

  // Holds at least `min_capacity` elements: slots = bit_ceil(min_capacity + 1). Allocates once;
  // throws std::bad_alloc only here, at start-up.
  explicit MoodycamelQueue(std::size_t min_capacity)
      : inner_(slots_for(min_capacity) - 1), capacity_(inner_.max_capacity()) {}

  MoodycamelQueue(const MoodycamelQueue&) = delete;
  MoodycamelQueue& operator=(const MoodycamelQueue&) = delete;

  // ---- producer (never allocates) ------------------------------------------------------------

  [[nodiscard]] bool try_enqueue(const T& item) noexcept(
      std::is_nothrow_copy_constructible_v<T>) {
    return try_emplace(item);
  }
  [[nodiscard]] bool try_enqueue(T&& item) noexcept(std::is_nothrow_move_constructible_v<T>) {
    return try_emplace(std::move(item));
  }
  // Constructs in place; returns false (constructing nothing) when full.
  template <typename... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(
      std::is_nothrow_constructible_v<T, Args&&...>) {
    assert(producer_.held_by_caller() && "EventQueue: more than one producer thread");
#ifdef MDE_TSAN
    if (tsan_.produced - tsan_.consumed.load(std::memory_order_acquire) >= capacity_) return false;
#endif
    const bool ok = inner_.try_emplace(std::forward<Args>(args)...);
#ifdef MDE_TSAN
    if (ok) tsan_.published.store(++tsan_.produced, std::memory_order_release);
#endif
    return ok;
  }

  // ---- consumer (never allocates) ------------------------------------------------------------

  // The oldest element, read in place, or nullptr when empty. Valid until pop().
  [[nodiscard]] T* front() noexcept {
    assert(consumer_.held_by_caller() && "EventQueue: more than one consumer thread");
#ifdef MDE_TSAN
    if (tsan_.published.load(std::memory_order_acquire) == tsan_.popped) return nullptr;
#endif
    return inner_.peek();
  }
  [[nodiscard]] T* peek() noexcept { return front(); }

  // Destroys the front element and frees its slot. Returns false, doing nothing, when empty.
  bool pop() noexcept {
    assert(consumer_.held_by_caller() && "EventQueue: more than one consumer thread");
#ifdef MDE_TSAN
    if (tsan_.published.load(std::memory_order_acquire) == tsan_.popped) return false;
    const bool ok = inner_.pop();
    if (ok) tsan_.consumed.store(++tsan_.popped, std::memory_order_release);
    return ok;
#else
    return inner_.pop();
#endif
  }

  // ---- either thread -------------------------------------------------------------------------

  [[nodiscard]] std::size_t size_approx() const noexcept { return inner_.size_approx(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  // Lets new threads take the producer and consumer roles (debug check only). Call only after
  // the previous threads have been joined.
  void reset_thread_roles() noexcept {
    producer_.release();
    consumer_.release();
  }

 private:
  static std::size_t slots_for(std::size_t min_capacity) {
    if (min_capacity >= kMaxSlots) return kMaxSlots;
    return std::bit_ceil((min_capacity == 0 ? std::size_t{1} : min_capacity) + 1);
  }

  Inner inner_;
  const std::size_t capacity_;
  [[no_unique_address]] detail::SpscRole producer_;
  [[no_unique_address]] detail::SpscRole consumer_;
#ifdef MDE_TSAN
  struct {
    std::atomic<std::size_t> published{0};  // producer stores after each enqueue
    std::atomic<std::size_t> consumed{0};   // consumer stores after each pop
    std::size_t produced = 0;               // producer-local
    std::size_t popped = 0;                 // consumer-local
  } tsan_;
#endif
};

// The engine's queue. SpscRing rather than moodycamel because of try_claim(): copying whole
// 2112-byte events costs 2-10x more per event than writing the used bytes in place, the more
// so once the ring outgrows L2 (docs/PERFORMANCE.md, "Queue hop"). It also needs no
// ThreadSanitizer workaround (plain acquire/release atomics, no standalone fences).
template <typename T>
using EventQueue = SpscRing<T>;

// ---- producer policies -----------------------------------------------------------------------

template <typename Q, typename T>
concept ProducerQueue = requires(Q& q, const T& item) {
  { q.try_enqueue(item) } -> std::same_as<bool>;
};

template <typename Q>
concept ClaimingQueue = requires(Q& q) {
  { q.try_claim() } -> std::same_as<typename Q::value_type*>;
  q.publish();
};

// Back-pressure: waits (with `idle`) until `item` fits. Returns false only if `stop` became true
// while waiting; an item that fits is enqueued even when stop is already set. For replay, where
// losing an event is never acceptable and waiting is.
template <typename Q, typename T, IdleStrategy Idle>
  requires ProducerQueue<Q, T>
[[nodiscard]] bool enqueue_with_backpressure(Q& queue, const T& item, Idle& idle,
                                             const std::atomic<bool>& stop) noexcept {
  idle.reset();
  while (!queue.try_enqueue(item)) {
    if (stop.load(std::memory_order_relaxed)) return false;
    idle.idle();
  }
  return true;
}

// The same for in-place producers: a claimed slot (publish() it when written), or nullptr only
// if `stop` became true while waiting.
template <ClaimingQueue Q, IdleStrategy Idle>
[[nodiscard]] typename Q::value_type* claim_with_backpressure(
    Q& queue, Idle& idle, const std::atomic<bool>& stop) noexcept {
  idle.reset();
  for (;;) {
    if (auto* slot = queue.try_claim()) return slot;
    if (stop.load(std::memory_order_relaxed)) return nullptr;
    idle.idle();
  }
}

// Count of events a producer dropped under the opt-in drop policy (live feeds, where a stale
// book is better than a stalled socket). Written by the producer thread only (plain load+store,
// no read-modify-write); total() may be read from any thread for statistics. `pending()` is the
// producer's count since it last reported the loss downstream (ControlType::dropped).
class DropCounter {
 public:
  void add(std::uint64_t n = 1) noexcept {
    total_.store(total_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    pending_ += n;
  }
  [[nodiscard]] std::uint64_t total() const noexcept {
    return total_.load(std::memory_order_relaxed);
  }
  // Producer thread only.
  [[nodiscard]] std::uint64_t pending() const noexcept { return pending_; }
  void clear_pending() noexcept { pending_ = 0; }

 private:
  std::atomic<std::uint64_t> total_{0};
  std::uint64_t pending_ = 0;
};

// Drop policy: enqueues `item` or, when full, counts it in `dropped` and returns false.
template <typename Q, typename T>
  requires ProducerQueue<Q, T>
[[nodiscard]] bool enqueue_or_drop(Q& queue, const T& item, DropCounter& dropped) noexcept {
  if (queue.try_enqueue(item)) return true;
  dropped.add();
  return false;
}

}  // namespace mde

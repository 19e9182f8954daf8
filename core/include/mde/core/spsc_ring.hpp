// SpscRing<T>: a bounded single-producer/single-consumer ring (rigtorp SPSCQueue style) with an
// in-place producer API, so a decoder can write an event straight into its queue slot.
//
// Design: the producer owns `tail_` (next slot to fill) and a cached copy of the consumer's
// `head_`; the consumer owns `head_` (next slot to read) and a cached copy of `tail_`. Each
// index sits on its own 128-byte block (two lines: the adjacent-line prefetcher pairs them)
// next to the cache that only its owner touches, so in steady state a thread reads the peer's
// index only when its cached copy says "full" or "empty". Indices count up forever (64 bits do
// not wrap in practice) and are reduced by a power-of-two mask; the ring is full when
// tail - head == capacity, so all capacity slots are usable.
//
// Threads: exactly one producer thread (try_claim/publish/try_emplace/try_enqueue) and one
// consumer thread (front/pop). Debug builds assert that contract; release builds trust it.
// Allocation happens once, in the constructor (which also touches every page so the hot path
// never page-faults). Every other call is noexcept, lock-free and wait-free, and never
// allocates.
//
// Slot lifetime: for a trivially copyable, trivially destructible, default-constructible T
// (mde::Event) every slot holds a live T for the ring's whole life, which is what makes
// try_claim() legal: the producer overwrites only the bytes it needs (a trade touches ~2 of an
// Event's 33 cache lines) and the stale rest is never read. For any other T a slot holds a live
// object only between try_emplace/try_enqueue and pop, and pop destroys it.
#pragma once

#include <atomic>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>

namespace mde {

namespace detail {

// Bytes that must separate data written by different threads. 128 rather than 64: x86 and
// Zen prefetch cache lines in adjacent pairs, so 64 bytes apart still ping-pongs.
inline constexpr std::size_t kFalseSharingRange = 128;

// Debug-only check that one role (producer or consumer) of an SPSC queue stays on one thread:
// the first caller claims the role. Release builds compile it to nothing.
class SpscRole {
 public:
#ifndef NDEBUG
  [[nodiscard]] bool held_by_caller() noexcept {
    const std::thread::id me = std::this_thread::get_id();
    std::thread::id expected{};
    if (owner_.compare_exchange_strong(expected, me, std::memory_order_relaxed)) return true;
    return expected == me;
  }
  void release() noexcept { owner_.store(std::thread::id{}, std::memory_order_relaxed); }

 private:
  std::atomic<std::thread::id> owner_{};
#else
  [[nodiscard]] static constexpr bool held_by_caller() noexcept { return true; }
  static constexpr void release() noexcept {}
#endif
};

}  // namespace detail

template <typename T>
class SpscRing {
 public:
  using value_type = T;

  // Whether slots hold live objects permanently, enabling try_claim()/publish().
  static constexpr bool kClaimable = std::is_trivially_copyable_v<T> &&
                                     std::is_trivially_destructible_v<T> &&
                                     std::is_nothrow_default_constructible_v<T>;

  // Capacity is `min_capacity` rounded up to a power of two (at least 1). Allocates once; throws
  // std::bad_alloc / std::length_error only here, at start-up.
  explicit SpscRing(std::size_t min_capacity)
      : capacity_(round_capacity(min_capacity)),
        mask_(capacity_ - 1),
        storage_(allocate(capacity_)),
        slots_(storage_ + kPadBytes) {
    if constexpr (kClaimable) {
      for (std::size_t i = 0; i < capacity_; ++i) ::new (static_cast<void*>(raw(i))) T;
    }
  }

  ~SpscRing() {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      const std::size_t tail = tail_.load(std::memory_order_acquire);
      for (std::size_t i = head_.load(std::memory_order_relaxed); i != tail; ++i) {
        std::destroy_at(slot(i));
      }
    }
    ::operator delete(storage_, std::align_val_t{kStorageAlign});
  }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // ---- producer ------------------------------------------------------------------------------

  // The next free slot, or nullptr when full. The slot holds a live T with stale contents: write
  // what the consumer will read, then publish(). Calling try_claim() again before publish()
  // returns the same slot (abandoning a half-written slot is just not publishing it).
  // Never allocates.
  [[nodiscard]] T* try_claim() noexcept
    requires kClaimable
  {
    return try_claim(0);
  }

  // Batching: the slot `ahead` places after the next free one, or nullptr when the ring has no
  // room for it. A producer that fills several claimed slots and then publish(n)es them moves
  // the shared tail once per batch instead of once per element: every tail store costs a cache
  // line transfer to the consumer, and on x86 the stores behind it wait for that transfer.
  [[nodiscard]] T* try_claim(std::size_t ahead) noexcept
    requires kClaimable
  {
    assert(producer_.held_by_caller() && "SpscRing: more than one producer thread");
    const std::size_t tail = tail_.load(std::memory_order_relaxed) + ahead;
    if (tail - head_cache_ >= capacity_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ >= capacity_) return nullptr;
    }
    return slot(tail);
  }

  // Makes the slot from the last successful try_claim() visible to the consumer.
  void publish() noexcept
    requires kClaimable
  {
    publish(1);
  }

  // Makes the next `n` claimed slots visible at once (see try_claim(ahead)).
  void publish(std::size_t n) noexcept
    requires kClaimable
  {
    assert(producer_.held_by_caller() && "SpscRing: more than one producer thread");
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    assert(tail + n - head_cache_ <= capacity_ && "SpscRing: publish() without claimed slots");
    tail_.store(tail + n, std::memory_order_release);
  }

  // Constructs an element in place. Returns false (constructing nothing) when full.
  // Never allocates (T's constructor might: that is T's business).
  template <typename... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(
      std::is_nothrow_constructible_v<T, Args&&...>) {
    assert(producer_.held_by_caller() && "SpscRing: more than one producer thread");
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_cache_ == capacity_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail - head_cache_ == capacity_) return false;
    }
    ::new (static_cast<void*>(raw(tail))) T(std::forward<Args>(args)...);
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // Copies/moves `item` in. Returns false when full, leaving `item` untouched. Never allocates.
  [[nodiscard]] bool try_enqueue(const T& item) noexcept(
      std::is_nothrow_copy_constructible_v<T>) {
    return try_emplace(item);
  }
  [[nodiscard]] bool try_enqueue(T&& item) noexcept(std::is_nothrow_move_constructible_v<T>) {
    return try_emplace(std::move(item));
  }

  // ---- consumer ------------------------------------------------------------------------------

  // The oldest element, read in place, or nullptr when empty. Valid until pop().
  [[nodiscard]] T* front() noexcept {
    assert(consumer_.held_by_caller() && "SpscRing: more than one consumer thread");
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head == tail_cache_) return nullptr;
    }
    return slot(head);
  }
  [[nodiscard]] T* peek() noexcept { return front(); }

  // Releases the front slot to the producer (destroying the element unless the slots are
  // permanent). Returns false, doing nothing, when empty.
  bool pop() noexcept {
    assert(consumer_.held_by_caller() && "SpscRing: more than one consumer thread");
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head == tail_cache_) return false;
    }
    if constexpr (!kClaimable) std::destroy_at(slot(head));
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // ---- either thread -------------------------------------------------------------------------

  // A snapshot that may be stale by the time it is used; exact when both threads are idle.
  [[nodiscard]] std::size_t size_approx() const noexcept {
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t size = tail - head;  // head is read first, so never "negative"
    return size < capacity_ ? size : capacity_;
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  // Lets new threads take the producer and consumer roles (debug check only). Call only after
  // the previous threads have been joined.
  void reset_thread_roles() noexcept {
    producer_.release();
    consumer_.release();
  }

 private:
  static constexpr std::size_t kStorageAlign =
      alignof(T) > detail::kFalseSharingRange ? alignof(T) : detail::kFalseSharingRange;
  // Guard band before and after the slots so neighbouring heap data never shares their lines.
  static constexpr std::size_t kPadBytes = kStorageAlign;
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 40;

  static std::size_t round_capacity(std::size_t min_capacity) {
    if (min_capacity > kMaxBytes / sizeof(T)) throw std::length_error("SpscRing capacity");
    return std::bit_ceil(min_capacity == 0 ? std::size_t{1} : min_capacity);
  }
  static std::byte* allocate(std::size_t capacity) {
    const std::size_t bytes = capacity * sizeof(T) + 2 * kPadBytes;
    auto* p = static_cast<std::byte*>(
        ::operator new(bytes, std::align_val_t{kStorageAlign}));
    std::memset(p, 0, bytes);  // fault every page in now, not on the first lap
    return p;
  }

  [[nodiscard]] std::byte* raw(std::size_t index) const noexcept {
    return slots_ + (index & mask_) * sizeof(T);
  }
  [[nodiscard]] T* slot(std::size_t index) const noexcept {
    return std::launder(reinterpret_cast<T*>(raw(index)));
  }

  // Read-only after construction; shared by both threads without traffic.
  alignas(detail::kFalseSharingRange) const std::size_t capacity_;
  const std::size_t mask_;
  std::byte* const storage_;
  std::byte* const slots_;

  // Producer's block: written by the producer, read by the consumer when its cache runs dry.
  alignas(detail::kFalseSharingRange) std::atomic<std::size_t> tail_{0};
  std::size_t head_cache_ = 0;
  [[no_unique_address]] detail::SpscRole producer_;

  // Consumer's block.
  alignas(detail::kFalseSharingRange) std::atomic<std::size_t> head_{0};
  std::size_t tail_cache_ = 0;
  [[no_unique_address]] detail::SpscRole consumer_;

  // Keeps whatever follows a SpscRing object off the consumer's block.
  alignas(detail::kFalseSharingRange) char end_guard_[1] = {};

  static_assert(std::atomic<std::size_t>::is_always_lock_free);
  static_assert(!std::is_reference_v<T> && !std::is_const_v<T>);

  friend struct SpscRingLayout;
};

// Layout proof, checked where SpscRing<T> is complete: the shared read-only block, the
// producer's block and the consumer's block start kFalseSharingRange apart, so the two threads'
// written state never shares a prefetch pair.
struct SpscRingLayout {
  template <typename T>
  static constexpr bool proven() noexcept {
    constexpr std::size_t r = detail::kFalseSharingRange;
    return std::is_standard_layout_v<SpscRing<T>> && offsetof(SpscRing<T>, tail_) == r &&
           offsetof(SpscRing<T>, head_) == 2 * r && offsetof(SpscRing<T>, end_guard_) == 3 * r &&
           alignof(SpscRing<T>) == r && sizeof(SpscRing<T>) == 4 * r;
  }
};

static_assert(SpscRingLayout::proven<int>());
static_assert(SpscRingLayout::proven<std::max_align_t>());

}  // namespace mde

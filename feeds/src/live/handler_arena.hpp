// HandlerArena: the memory Asio takes for each asynchronous operation of one connection (its
// read, its write, its timer waits), served from a few fixed blocks instead of the heap.
//
// Why: Asio (Boost 1.74) recycles operation memory through ONE cached block per thread. One
// outstanding read keeps it busy, so every write and every timer wait beside it (each PING)
// went to operator new. Handlers wrapped by `with_arena` carry an allocator that Asio and Beast
// use for every operation down the chain (Beast's composed operations pass the final handler's
// associated allocator on), so those operations reuse this connection's blocks.
//
// Thread: the connection's I/O thread only (Asio allocates and frees operation memory on the
// thread running the io_context; no locks). Invariant: a block is either free (its bit clear in
// `used_`) or holds exactly one live operation. Lifetime: the arena lives in the connection that
// every wrapped handler holds (shared_ptr), and Asio frees an operation's memory while the moved
// handler is still alive, so the arena outlives every block it lent. A request larger than a block
// or beyond the last free block goes to the heap and is counted (`heap_fallbacks`), never fails.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace mde::live {

class HandlerArena {
 public:
  static constexpr std::size_t kBlockBytes = 1024;  // a read chain through Beast, TLS and TCP fits
  static constexpr std::size_t kBlocks = 8;         // read + write + 3 timers, with room to spare
  static_assert(kBlocks <= 32 && std::has_single_bit(kBlockBytes));

  HandlerArena() = default;
  HandlerArena(const HandlerArena&) = delete;
  HandlerArena& operator=(const HandlerArena&) = delete;

  [[nodiscard]] void* allocate(std::size_t bytes) {
    const std::uint32_t free_blocks = ~used_ & kAllBlocks;
    if (bytes <= kBlockBytes && free_blocks != 0) {
      const int k = std::countr_zero(free_blocks);
      used_ |= 1u << k;
      return blocks_[k].bytes;
    }
    ++heap_fallbacks_;
    return ::operator new(bytes);
  }

  void deallocate(void* p) noexcept {
    const auto* b = static_cast<const std::byte*>(p);
    const auto* first = blocks_[0].bytes;
    if (b >= first && b < first + sizeof blocks_) {
      used_ &= ~(1u << ((b - first) / sizeof(Block)));
      return;
    }
    ::operator delete(p);
  }

  [[nodiscard]] std::uint64_t heap_fallbacks() const noexcept { return heap_fallbacks_; }

 private:
  struct Block {
    alignas(std::max_align_t) std::byte bytes[kBlockBytes];
  };
  static_assert(sizeof(Block) == kBlockBytes);
  static constexpr std::uint32_t kAllBlocks =
      kBlocks == 32 ? ~0u : (1u << kBlocks) - 1;

  Block blocks_[kBlocks];
  std::uint32_t used_ = 0;
  std::uint64_t heap_fallbacks_ = 0;
};

// The allocator Asio rebinds to each operation type it allocates.
template <typename T>
class ArenaAllocator {
 public:
  using value_type = T;
  explicit ArenaAllocator(HandlerArena& arena) noexcept : arena_(&arena) {}
  template <typename U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena()) {}

  [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(arena_->allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { arena_->deallocate(p); }

  [[nodiscard]] HandlerArena* arena() const noexcept { return arena_; }
  template <typename U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept { return arena_ == other.arena(); }

 private:
  HandlerArena* arena_;
};

// A completion handler that names its arena as its associated allocator.
template <typename Handler>
class ArenaHandler {
 public:
  using allocator_type = ArenaAllocator<void>;

  ArenaHandler(HandlerArena& arena, Handler handler) : arena_(&arena), handler_(std::move(handler)) {}

  [[nodiscard]] allocator_type get_allocator() const noexcept { return allocator_type(*arena_); }

  template <typename... Args>
  void operator()(Args&&... args) {
    handler_(std::forward<Args>(args)...);
  }

 private:
  HandlerArena* arena_;
  Handler handler_;
};

// The handler must keep the arena alive (hold the connection that owns it).
template <typename Handler>
[[nodiscard]] ArenaHandler<std::decay_t<Handler>> with_arena(HandlerArena& arena, Handler&& handler) {
  return ArenaHandler<std::decay_t<Handler>>(arena, std::forward<Handler>(handler));
}

}  // namespace mde::live

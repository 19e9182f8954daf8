// Replaces the program's allocator with counting forwarders to glibc (see alloc_counter.hpp).
#include "support/alloc_counter.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>

extern "C" {
// glibc's real allocator entry points, exported for exactly this kind of interposition.
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t n, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* p);
}

namespace {

std::atomic<std::uint64_t> g_operator_new{0};
std::atomic<std::uint64_t> g_c_alloc{0};

// Per-thread counts: a slot per thread, taken on its first allocation, found again through a
// thread_local pointer (static TLS of the executable: reaching it never allocates).
struct ThreadSlot {
  std::atomic<pid_t> tid{0};
  std::atomic<std::uint64_t> count{0};
};
constexpr std::size_t kMaxThreads = 256;
ThreadSlot g_threads[kMaxThreads];
std::atomic<std::size_t> g_threads_used{0};
thread_local ThreadSlot* t_slot = nullptr;
thread_local bool t_untracked = false;  // arrived after the table filled up

void count_thread() noexcept {
  if (t_slot == nullptr) {
    if (t_untracked) return;
    const std::size_t i = g_threads_used.fetch_add(1, std::memory_order_relaxed);
    if (i >= kMaxThreads) {
      t_untracked = true;
      return;
    }
    g_threads[i].tid.store(static_cast<pid_t>(::syscall(SYS_gettid)), std::memory_order_relaxed);
    t_slot = &g_threads[i];
  }
  t_slot->count.fetch_add(1, std::memory_order_relaxed);
}

void count_c() noexcept {
  g_c_alloc.fetch_add(1, std::memory_order_relaxed);
  count_thread();
}
void count_new() noexcept {
  g_operator_new.fetch_add(1, std::memory_order_relaxed);
  count_thread();
}

void* new_impl(std::size_t size) {
  count_new();
  void* p = __libc_malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void* new_aligned_impl(std::size_t size, std::align_val_t align) {
  count_new();
  void* p = __libc_memalign(static_cast<std::size_t>(align), size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void* new_nothrow_impl(std::size_t size) noexcept {
  count_new();
  return __libc_malloc(size == 0 ? 1 : size);
}

void* new_aligned_nothrow_impl(std::size_t size, std::align_val_t align) noexcept {
  count_new();
  return __libc_memalign(static_cast<std::size_t>(align), size == 0 ? 1 : size);
}

}  // namespace

namespace mde::test {

AllocationCounts allocation_counts() noexcept {
  return {g_operator_new.load(std::memory_order_relaxed), g_c_alloc.load(std::memory_order_relaxed)};
}

std::uint64_t allocations_by_threads_named(const char* name) {
  std::uint64_t total = 0;
  const std::size_t used = std::min(g_threads_used.load(std::memory_order_relaxed), kMaxThreads);
  for (std::size_t i = 0; i < used; ++i) {
    const pid_t tid = g_threads[i].tid.load(std::memory_order_relaxed);
    if (tid == 0) continue;  // taken, tid not yet stored
    std::ifstream comm("/proc/self/task/" + std::to_string(tid) + "/comm");
    std::string thread_name;
    if (comm && std::getline(comm, thread_name) && thread_name == name) {
      total += g_threads[i].count.load(std::memory_order_relaxed);
    }
  }
  return total;
}

}  // namespace mde::test

// ---- C allocator -------------------------------------------------------------------------------

// noexcept matches glibc's declarations (__THROW).
extern "C" {

void* malloc(std::size_t size) noexcept {
  count_c();
  return __libc_malloc(size);
}

void* calloc(std::size_t n, std::size_t size) noexcept {
  count_c();
  return __libc_calloc(n, size);
}

void* realloc(void* p, std::size_t size) noexcept {
  count_c();  // even a shrink in place: the call itself is what a hot path must not make
  return __libc_realloc(p, size);
}

void free(void* p) noexcept { __libc_free(p); }

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  count_c();
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  count_c();
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  count_c();
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(std::size_t size) noexcept {
  count_c();
  return __libc_memalign(4096, size);
}

void* pvalloc(std::size_t size) noexcept {
  count_c();
  return __libc_memalign(4096, (size + 4095) & ~std::size_t{4095});
}

}  // extern "C"

// ---- operator new / delete (every replaceable form) --------------------------------------------

void* operator new(std::size_t size) { return new_impl(size); }
void* operator new[](std::size_t size) { return new_impl(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return new_nothrow_impl(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return new_nothrow_impl(size);
}
void* operator new(std::size_t size, std::align_val_t align) {
  return new_aligned_impl(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align) {
  return new_aligned_impl(size, align);
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return new_aligned_nothrow_impl(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return new_aligned_nothrow_impl(size, align);
}

void operator delete(void* p) noexcept { __libc_free(p); }
void operator delete[](void* p) noexcept { __libc_free(p); }
void operator delete(void* p, std::size_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::size_t) noexcept { __libc_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { __libc_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { __libc_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { __libc_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { __libc_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { __libc_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { __libc_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  __libc_free(p);
}

// Heap-allocation counter for tests that must prove a path never allocates.
//
// alloc_counter.cpp replaces the global operator new/delete (every variant) and the C allocator
// (malloc, calloc, realloc, free, aligned_alloc, posix_memalign, memalign, valloc, pvalloc), counts
// each allocation, and forwards to glibc's own __libc_* functions. glibc routes its internal
// allocations through these symbols too, so nothing in the process allocates uncounted.
//
// Link alloc_counter.cpp into ONE dedicated test binary only (never a library): it changes the
// allocator of the whole program. Not usable under AddressSanitizer, which owns malloc itself.
// Thread: any (relaxed atomic counters).
#pragma once

#include <cstdint>

namespace mde::test {

struct AllocationCounts {
  std::uint64_t operator_new;  // operator new / new[] (all variants)
  std::uint64_t c_alloc;       // malloc, calloc, realloc, aligned_alloc, posix_memalign, ...
  [[nodiscard]] std::uint64_t total() const noexcept { return operator_new + c_alloc; }
};

// Counts since program start.
[[nodiscard]] AllocationCounts allocation_counts() noexcept;

// Allocations (both kinds) made since program start by the live threads whose name
// (pthread_setname_np, /proc/self/task/TID/comm) is `name`, e.g. "mde-io": a process whose other
// threads allocate freely (an in-process simulator) can still prove that one thread does not.
// Each thread is counted from its first allocation; at most 256 threads per program are tracked
// (later ones go uncounted here, but always in allocation_counts()). Setup only: allocates.
[[nodiscard]] std::uint64_t allocations_by_threads_named(const char* name);

}  // namespace mde::test

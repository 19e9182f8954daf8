// Thread placement: pin a thread to one CPU and give it a name that shows up in top, perf and
// gdb. Control path (called once when a thread starts).
//
// Thread: any; acts on the calling thread or on a pthread handle (std::thread::native_handle()).
// Never throws, never aborts, never allocates: failures come back as a ThreadStatus so the tool
// can print them and carry on unpinned.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mde {

enum class ThreadStatus : std::uint8_t {
  ok,
  invalid_cpu,    // negative, beyond CPU_SETSIZE, offline or outside the process's cpuset
  not_permitted,  // EPERM
  no_such_thread, // ESRCH
  failed,         // any other errno
};

[[nodiscard]] constexpr std::string_view to_string(ThreadStatus s) noexcept {
  switch (s) {
    case ThreadStatus::ok: return "ok";
    case ThreadStatus::invalid_cpu: return "invalid_cpu";
    case ThreadStatus::not_permitted: return "not_permitted";
    case ThreadStatus::no_such_thread: return "no_such_thread";
    case ThreadStatus::failed: return "failed";
  }
  return "?";
}

namespace detail {
[[nodiscard]] constexpr ThreadStatus thread_status_from_errno(int rc) noexcept {
  switch (rc) {
    case 0: return ThreadStatus::ok;
    case EINVAL: return ThreadStatus::invalid_cpu;
    case EPERM: return ThreadStatus::not_permitted;
    case ESRCH: return ThreadStatus::no_such_thread;
    default: return ThreadStatus::failed;
  }
}
}  // namespace detail

// Pins `thread` to exactly one CPU.
[[nodiscard]] inline ThreadStatus pin_thread(pthread_t thread, int cpu) noexcept {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return ThreadStatus::invalid_cpu;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
  return detail::thread_status_from_errno(pthread_setaffinity_np(thread, sizeof(set), &set));
}

[[nodiscard]] inline ThreadStatus pin_current_thread(int cpu) noexcept {
  return pin_thread(pthread_self(), cpu);
}

// The CPU the calling thread runs on right now, or -1 if unknown.
[[nodiscard]] inline int current_cpu() noexcept { return sched_getcpu(); }

// Linux limits thread names to 15 bytes; longer names are cut, not refused.
inline constexpr std::size_t kMaxThreadName = 15;

[[nodiscard]] inline ThreadStatus name_thread(pthread_t thread, std::string_view name) noexcept {
  char buf[kMaxThreadName + 1] = {};
  const std::size_t n = name.size() < kMaxThreadName ? name.size() : kMaxThreadName;
  if (n != 0) std::memcpy(buf, name.data(), n);
  return detail::thread_status_from_errno(pthread_setname_np(thread, buf));
}

[[nodiscard]] inline ThreadStatus name_current_thread(std::string_view name) noexcept {
  return name_thread(pthread_self(), name);
}

}  // namespace mde

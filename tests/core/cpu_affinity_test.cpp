#include "mde/core/cpu_affinity.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <string>
#include <thread>

namespace mde {
namespace {

// A CPU this process may run on (containers can restrict the set).
int first_allowed_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) return cpu;
  }
  return -1;
}

TEST(CpuAffinity, PinnedThreadRunsOnlyOnItsCpu) {
  const int cpu = first_allowed_cpu();
  ASSERT_GE(cpu, 0);
  ThreadStatus status = ThreadStatus::failed;
  int ran_on = -1;
  int allowed = -1;
  std::thread t([&] {
    status = pin_current_thread(cpu);
    ran_on = current_cpu();
    cpu_set_t set;
    CPU_ZERO(&set);
    pthread_getaffinity_np(pthread_self(), sizeof(set), &set);
    allowed = CPU_COUNT(&set);
  });
  t.join();
  EXPECT_EQ(status, ThreadStatus::ok);
  EXPECT_EQ(ran_on, cpu);
  EXPECT_EQ(allowed, 1);
}

TEST(CpuAffinity, PinsAnotherThreadThroughItsHandle) {
  const int cpu = first_allowed_cpu();
  std::atomic<bool> go{false};
  int ran_on = -1;
  std::thread t([&] {
    while (!go.load()) std::this_thread::yield();
    ran_on = current_cpu();
  });
  EXPECT_EQ(pin_thread(t.native_handle(), cpu), ThreadStatus::ok);
  go = true;
  t.join();
  EXPECT_EQ(ran_on, cpu);
}

TEST(CpuAffinity, RejectsCpusThatDoNotExistWithoutThrowing) {
  EXPECT_EQ(pin_current_thread(-1), ThreadStatus::invalid_cpu);
  EXPECT_EQ(pin_current_thread(CPU_SETSIZE), ThreadStatus::invalid_cpu);
  EXPECT_EQ(pin_current_thread(CPU_SETSIZE - 1), ThreadStatus::invalid_cpu);  // not online
}

TEST(CpuAffinity, NamesThreadsAndCutsLongNamesTo15Bytes) {
  ThreadStatus short_status = ThreadStatus::failed;
  ThreadStatus long_status = ThreadStatus::failed;
  std::string short_name;
  std::string long_name;
  std::thread t([&] {
    char buf[32] = {};
    short_status = name_current_thread("mde-core");
    pthread_getname_np(pthread_self(), buf, sizeof(buf));
    short_name = buf;
    long_status = name_current_thread("mde-replay-producer-0");
    pthread_getname_np(pthread_self(), buf, sizeof(buf));
    long_name = buf;
  });
  t.join();
  EXPECT_EQ(short_status, ThreadStatus::ok);
  EXPECT_EQ(short_name, "mde-core");
  EXPECT_EQ(long_status, ThreadStatus::ok);
  EXPECT_EQ(long_name, "mde-replay-prod");
}

TEST(CpuAffinity, StatusesHaveNames) {
  EXPECT_EQ(to_string(ThreadStatus::ok), "ok");
  EXPECT_EQ(to_string(ThreadStatus::invalid_cpu), "invalid_cpu");
  EXPECT_EQ(to_string(ThreadStatus::not_permitted), "not_permitted");
}

}  // namespace
}  // namespace mde

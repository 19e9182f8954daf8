// The two pieces that keep a connection's writes off the heap: the Outbox (requests waiting to be
// written, one in flight) and the HandlerArena (the memory Asio takes per operation).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handler_arena.hpp"
#include "outbox.hpp"

namespace mde::live {
namespace {

TEST(Outbox, HandsRequestsOutInTheOrderTheyWereQueued) {
  Outbox out;
  for (int k = 0; k < 20; ++k) out.push("request " + std::to_string(k));  // past the first growth
  for (int k = 0; k < 20; ++k) {
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.front(), "request " + std::to_string(k));
    out.pop();
  }
  EXPECT_TRUE(out.empty());
}

TEST(Outbox, TheRequestBeingWrittenKeepsItsCharactersInPlaceWhenTheRingGrows) {
  Outbox out;
  out.push("ping");  // short: a string object would keep it inside itself, and a move copies it
  const char* in_flight = out.front().data();  // what the write in flight points at
  for (std::size_t k = 0; k < 4 * Outbox::kInitialSlots; ++k) out.push("{\"request_type\":\"PING\"}");
  EXPECT_EQ(out.front().data(), in_flight);
  EXPECT_EQ(std::string(in_flight, 4), "ping");
}

TEST(Outbox, ReusesItsSlotsOnceTheyHaveHeldARequest) {
  Outbox out;
  std::vector<const char*> seen;
  for (std::size_t k = 0; k < Outbox::kInitialSlots; ++k) {
    out.push("{\"request_type\":\"PING\"}");
    seen.push_back(out.front().data());
    out.pop();
  }
  for (std::size_t k = 0; k < Outbox::kInitialSlots; ++k) {  // a second lap: the same storage
    out.push("{\"request_type\":\"PING\"}");
    EXPECT_EQ(out.front().data(), seen[k]) << "slot " << k;
    out.pop();
  }
}

TEST(HandlerArena, LendsEachBlockOnceAndTakesItBack) {
  HandlerArena arena;
  std::vector<void*> lent;
  for (std::size_t k = 0; k < HandlerArena::kBlocks; ++k) {
    lent.push_back(arena.allocate(HandlerArena::kBlockBytes));
  }
  for (std::size_t a = 0; a < lent.size(); ++a) {
    for (std::size_t b = a + 1; b < lent.size(); ++b) EXPECT_NE(lent[a], lent[b]);
  }
  EXPECT_EQ(arena.heap_fallbacks(), 0u);
  arena.deallocate(lent[3]);
  EXPECT_EQ(arena.allocate(64), lent[3]);  // the block given back is the one lent next
  EXPECT_EQ(arena.heap_fallbacks(), 0u);
  for (void* p : lent) arena.deallocate(p);
}

TEST(HandlerArena, GoesToTheHeapWhenFullOrAskedForMoreThanABlockAndCountsIt) {
  HandlerArena arena;
  std::vector<void*> lent;
  for (std::size_t k = 0; k < HandlerArena::kBlocks; ++k) lent.push_back(arena.allocate(8));
  void* spill = arena.allocate(8);
  void* big = arena.allocate(HandlerArena::kBlockBytes + 1);
  EXPECT_EQ(arena.heap_fallbacks(), 2u);
  arena.deallocate(spill);  // back to the heap, not into the arena
  arena.deallocate(big);
  for (void* p : lent) arena.deallocate(p);
  EXPECT_NE(arena.allocate(8), nullptr);
  EXPECT_EQ(arena.heap_fallbacks(), 2u);
}

TEST(ArenaAllocator, RebindsToAnyOperationTypeOverTheSameArena) {
  HandlerArena arena;
  const ArenaAllocator<void> any(arena);
  ArenaAllocator<double> doubles(any);
  double* d = doubles.allocate(4);
  EXPECT_EQ(arena.heap_fallbacks(), 0u);
  EXPECT_TRUE(doubles == any);
  doubles.deallocate(d, 4);
}

}  // namespace
}  // namespace mde::live

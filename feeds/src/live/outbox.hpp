// Outbox: the requests of one connection waiting to be written, in order (one write in flight).
//
// A ring of strings that keep their capacity: once a slot has held a request of some length, the
// next request of that length or less (a PING, every 15-20 s) is copied in without allocating.
// When every slot is taken (a burst of subscriptions longer than any before) the ring doubles:
// an allocation at warm-up, never in steady state.
//
// Thread: the connection's I/O thread only. Invariants: slots [head_, head_ + size_) (mod the
// capacity, a power of two) hold the queued requests, front() first; front()'s characters stay
// where they are while its write is in flight. Growth moves the strings, so every slot is made
// with heap storage (kSlotBytes reserved, never the short-string buffer inside the object): a
// move hands that storage over and the characters do not move.
#pragma once

#include <bit>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mde::live {

class Outbox {
 public:
  static constexpr std::size_t kInitialSlots = 8;
  static constexpr std::size_t kSlotBytes = 128;  // above any short-string buffer; a PING fits

  Outbox() : slots_(make_slots(kInitialSlots)) {}

  void push(std::string_view request) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)].assign(request);
    ++size_;
  }

  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const std::string& front() const noexcept { return slots_[head_]; }

  void pop() noexcept {
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
  }

 private:
  void grow() {
    std::vector<std::string> bigger = make_slots(slots_.size() * 2);
    for (std::size_t k = 0; k < size_; ++k) {
      bigger[k] = std::move(slots_[(head_ + k) & (slots_.size() - 1)]);
    }
    slots_ = std::move(bigger);
    head_ = 0;
  }

  static std::vector<std::string> make_slots(std::size_t n) {
    std::vector<std::string> slots(n);
    for (std::string& s : slots) s.reserve(kSlotBytes);
    return slots;
  }

  std::vector<std::string> slots_;  // size: a power of two
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  static_assert(std::has_single_bit(kInitialSlots));
};

}  // namespace mde::live

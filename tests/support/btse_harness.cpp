#include "support/btse_harness.hpp"

#include <cstring>
#include <stdexcept>

#include "mde/core/frame.hpp"

namespace mde::test {

Event& CollectingSink::event() noexcept {
  std::memset(static_cast<void*>(&scratch), 0xA5, sizeof(Event));
  return scratch;
}

bool CollectingSink::emit() {
  events.push_back(scratch);
  return true;
}

BtseHarness::BtseHarness(btse::DecoderOptions options,
                         std::initializer_list<std::string_view> markets)
    : registry_(std::make_unique<InstrumentRegistry>()) {
  for (std::string_view m : markets) {
    if (!registry_->add(Venue::btse, m)) throw std::runtime_error("cannot register market");
  }
  decoder_ = std::make_unique<btse::Decoder>(*registry_, options);
}

DecodeResult BtseHarness::decode(std::string_view frame) {
  buffer_ = std::make_unique<char[]>(frame.size() + kFramePadding);
  if (!frame.empty()) std::memcpy(buffer_.get(), frame.data(), frame.size());
  std::memset(buffer_.get() + frame.size(), 'x', kFramePadding);
  sink_.events.clear();
  return decoder_->decode(FrameView{buffer_.get(), frame.size()}, sink_);
}

InstrumentId BtseHarness::id(std::string_view market) const {
  const auto found = registry_->find(Venue::btse, market);
  if (!found) throw std::runtime_error("market not registered");
  return *found;
}

}  // namespace mde::test

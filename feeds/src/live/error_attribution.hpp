// ErrorAttributingSink: sits between a live session's decoder and its EventPublisher and names the
// subscription a topicless ERROR frame answers.
//
// Coinone's ERROR frames carry no channel or topic (protocols.md A1 errors), but the venue answers
// requests in order, and a subscription to an unknown market is answered SUBSCRIBED (echoing the
// topic) then ERROR 160012. So the sink remembers the latest SUBSCRIBED ack's channel and market;
// an ERROR whose code the venue sends after an ack (`ack_error_code`, 0 = none) and that names no
// channel or topic of its own is given that ack's channel, instrument and topic (the market's
// name, "+N" when the ack listed N more), and counted in SessionStats::subscriptions_failed. The
// ack is used once. Every ERROR is counted in SessionStats::errors. Errors about a request
// itself (160010/160011) are matched to their request by the VenueProtocol (it awaits every
// SUBSCRIBE in order): the session passes that name in with name_next_error() before decoding
// the frame, and the frame's ERROR, if it names no channel or topic, is given it (counted by the
// session, not here). Errors nobody can place pass on as they came.
//
// Thread: the session's I/O thread. Per frame it costs one branch (is it a control?); it never
// allocates, locks or throws.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "mde/core/events.hpp"
#include "mde/core/instrument.hpp"
#include "mde/feeds/live/session.hpp"

namespace mde::live {

template <class Sink>
class ErrorAttributingSink {
 public:
  ErrorAttributingSink(Sink& sink, const InstrumentRegistry& registry, SessionStats& stats,
                       std::int64_t ack_error_code) noexcept
      : sink_(sink), registry_(registry), stats_(stats), ack_error_code_(ack_error_code) {}

  Event& event() noexcept { return sink_.event(); }
  bool emit() noexcept {
    Event& e = sink_.event();
    if (e.header.kind == EventKind::control) [[unlikely]] on_control(e);
    return sink_.emit();
  }
  // A new connection: acks of the old one answer nothing any more.
  void reset() noexcept { has_ack_ = has_name_ = false; }
  // The next ERROR control (this frame's) refused this subscription: name it so. Cleared by
  // forget_name() after the frame, used or not.
  void name_next_error(Channel channel, InstrumentId instrument, std::string_view topic) noexcept {
    has_name_ = true;
    name_channel_ = channel;
    name_instrument_ = instrument;
    (void)name_topic_.assign(topic.substr(0, decltype(name_topic_)::kCapacity));
  }
  void forget_name() noexcept { has_name_ = false; }

 private:
  void on_control(Event& e) noexcept {
    Control& c = e.control;
    if (c.type == ControlType::subscribed) {
      has_ack_ = true;
      ack_channel_ = c.channel;
      ack_instrument_ = e.header.instrument;
      ack_topics_ = c.topic_count;
      return;
    }
    if (c.type != ControlType::error) return;
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    if (has_name_) {  // the protocol placed this frame's error: a request it awaited
      has_name_ = false;
      if (c.channel == Channel::none && c.topic.empty()) {
        c.channel = name_channel_;
        e.header.instrument = name_instrument_;
        c.topic = name_topic_;
      }
      return;
    }
    if (!has_ack_ || c.error_code != ack_error_code_ || ack_error_code_ == 0 ||
        c.channel != Channel::none || !c.topic.empty()) {
      return;
    }
    has_ack_ = false;
    c.channel = ack_channel_;
    e.header.instrument = ack_instrument_;
    c.topic.clear();
    if (ack_instrument_ != kNoInstrument) {
      const std::string_view name = registry_.name(ack_instrument_);
      char text[decltype(c.topic)::kCapacity + 1];
      const int n = ack_topics_ > 1
                        ? std::snprintf(text, sizeof text, "%.*s+%u", static_cast<int>(name.size()),
                                        name.data(), static_cast<unsigned>(ack_topics_ - 1))
                        : std::snprintf(text, sizeof text, "%.*s", static_cast<int>(name.size()),
                                        name.data());
      if (n > 0) (void)c.topic.assign({text, std::min(static_cast<std::size_t>(n), sizeof text - 1)});
    }
    stats_.subscriptions_failed.fetch_add(1, std::memory_order_relaxed);
  }

  Sink& sink_;
  const InstrumentRegistry& registry_;
  SessionStats& stats_;
  std::int64_t ack_error_code_;
  InstrumentId ack_instrument_ = kNoInstrument;
  Channel ack_channel_ = Channel::none;
  std::uint8_t ack_topics_ = 0;
  bool has_ack_ = false;
  bool has_name_ = false;  // name_next_error() was given a name for this frame's ERROR
  Channel name_channel_ = Channel::none;
  InstrumentId name_instrument_ = kNoInstrument;
  decltype(Control::topic) name_topic_{};
};

}  // namespace mde::live

// BTSE frame decoding: the envelope, instruments and control frames.
//
// One forward pass over the top-level object reads `topic` and decodes `data` in place when the
// topic came first (the venue's order, so the hot path). Anything else (data before topic,
// acks, error frames, login replies) is validated in that pass and read again after one rewind:
// those frames are rare and small.
#include "mde/feeds/btse/decoder.hpp"

#include <new>

#include "decoder_impl.hpp"

namespace mde::btse {

namespace {

enum Top { kTopic, kData, kEvent, kChannel, kSeverity, kErrors, kSuccess };
constexpr KeySpec kTopKeys[] = {{"topic", "topic"},       {"data", "data"},
                                {"event", "event"},       {"channel", "channel"},
                                {"severity", "severity"}, {"errors", "errors"},
                                {"success", "success"}};
constexpr const char* kTopNames[] = {"topic",    "data",   "event",  "channel",
                                     "severity", "errors", "success"};

enum ErrorEntryKey { kErrArg, kErrError };
constexpr KeySpec kErrorEntryKeys[] = {{"arg", "arg"}, {"error", "error"}};
constexpr const char* kErrorEntryNames[] = {"errors[].arg", "errors[].error"};

enum ErrorKey { kErrCode, kErrMessage };
constexpr KeySpec kErrorKeys[] = {{"code", "code"}, {"message", "message"}};
constexpr const char* kErrorNames[] = {"errors[].error.code", "errors[].error.message"};

[[nodiscard]] bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && json::same_short_text(s.substr(0, prefix.size()), prefix);
}

// The plain-text keepalive reply (not JSON), with the whitespace a text capture may leave
// (recognise_venue() accepts the same).
[[nodiscard]] bool is_pong(std::string_view text) noexcept {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  return text == "pong";
}

}  // namespace

// ---- Topics ----------------------------------------------------------------------------------

Topic classify_topic(std::string_view topic) noexcept {
  struct Prefix {
    std::string_view text;
    TopicKind kind;
  };
  static constexpr Prefix kPrefixes[] = {{"update:", TopicKind::book},
                                         {"tradeHistoryApi:", TopicKind::trades},
                                         {"tradeHistory:", TopicKind::trades},
                                         {"snapshotL1:", TopicKind::book_l1}};
  for (const Prefix& p : kPrefixes) {
    if (!starts_with(topic, p.text)) continue;
    std::string_view symbol = topic.substr(p.text.size());
    if (p.kind == TopicKind::book) {
      // "BTC-USD_0": the grouping suffix is not part of the market.
      const auto underscore = symbol.rfind('_');
      if (underscore != std::string_view::npos && underscore + 1 < symbol.size() &&
          symbol.find_first_not_of("0123456789", underscore + 1) == std::string_view::npos) {
        const bool grouping_zero = symbol.substr(underscore + 1) == "0";
        return {grouping_zero ? TopicKind::book : TopicKind::book_grouped,
                symbol.substr(0, underscore)};
      }
    }
    return {p.kind, symbol};
  }
  return {};
}

Channel channel_of(TopicKind kind) noexcept {
  switch (kind) {
    case TopicKind::book:
    case TopicKind::book_grouped:
    case TopicKind::book_l1: return Channel::book;
    case TopicKind::trades: return Channel::trade;
    case TopicKind::unknown: break;
  }
  return Channel::none;
}

// ---- The decoder -----------------------------------------------------------------------------

Decoder::Impl::Impl(InstrumentRegistry& r, DecoderOptions o, ParsedFrame& f)
    : registry(r),
      options(o),
      out(f),
      wire_levels(std::make_unique<PriceLevel[]>(kMaxEntriesPerSide)),
      price_slots(std::make_unique<PriceSlot[]>(kPriceSlots)) {
  if (parser.allocate(options.max_frame_bytes, kMaxDepth) != simdjson::SUCCESS) {
    throw std::bad_alloc();
  }
}

Decoder::Decoder(InstrumentRegistry& registry, DecoderOptions options)
    : parsed_(std::make_unique<ParsedFrame>()), connection_(options.connection) {
  impl_ = std::make_unique<Impl>(registry, options, *parsed_);
  parsed_->kind = FrameKind::none;
}
Decoder::~Decoder() = default;

DecodeResult Decoder::parse(FrameView frame) noexcept {
  impl_->data_topic = {};
  DecodeResult r = impl_->parse(frame);
  if (!r.ok()) {
    parsed_->kind = FrameKind::none;
    r.subject = impl_->rejected_subject();
  }
  return r;
}

RejectedSubject Decoder::Impl::rejected_subject() const noexcept {
  const TopicKind kind = data_topic.kind;
  RejectedSubject s{channel_of(kind), Venue::btse, false, kNoInstrument};
  // The topic's market, looked up only: a market never registered has no book to mark. Its
  // seqNum chain judges whether an update was lost.
  if (kind == TopicKind::book) {
    s.instrument = lookup(data_topic.symbol);
    s.chained = true;
  }
  return s;
}

DecodeResult Decoder::Impl::resolve(std::string_view symbol, InstrumentId& id,
                                    const char* field) noexcept {
  if (symbol.empty()) return {DecodeStatus::bad_value, field};
  if (cached_id != kNoInstrument && symbol == cached_symbol.view()) {
    id = cached_id;
    return {};
  }
  if (symbol.size() > InstrumentName::kCapacity) return {DecodeStatus::field_too_long, field};
  std::optional<InstrumentId> found = registry.find(Venue::btse, symbol);
  if (!found && options.add_unknown_instruments) found = registry.add(Venue::btse, symbol);
  if (!found) return {DecodeStatus::unknown_instrument, field};
  if (cached_symbol.assign(symbol)) cached_id = *found;
  id = *found;
  return {};
}

InstrumentId Decoder::Impl::lookup(std::string_view symbol) const noexcept {
  if (symbol.empty() || symbol.size() > InstrumentName::kCapacity) return kNoInstrument;
  return registry.find(Venue::btse, symbol).value_or(kNoInstrument);
}

ParsedControl* Decoder::Impl::next_control(const char* field, DecodeResult& r) noexcept {
  if (out.control_count == kMaxControlsPerFrame) {
    r = {DecodeStatus::too_many_events, field};
    return nullptr;
  }
  ParsedControl& c = out.controls[out.control_count++];
  c.topic.clear();
  c.message.clear();
  c.error_code = 0;
  c.instrument = kNoInstrument;
  c.type = ControlType::error;
  c.channel = Channel::none;
  return &c;
}

DecodeResult Decoder::Impl::parse(FrameView frame) noexcept {
  out.kind = FrameKind::none;
  out.bid_count = out.ask_count = out.trade_count = out.control_count = 0;
  if (frame.size == 0) return {DecodeStatus::empty_input};
  if (frame.size > options.max_frame_bytes) return {DecodeStatus::frame_too_large};
  if (frame.size <= 16 && is_pong(frame.text())) {
    DecodeResult r;
    ParsedControl* c = next_control("", r);
    c->type = ControlType::pong;
    out.kind = FrameKind::controls;
    return {};
  }

  frame_end = frame.data + frame.size;
  od::document doc;
  if (auto e = parser.iterate(frame.data, frame.size, frame.size + kFramePadding).get(doc)) {
    return {json::map_error(e)};
  }
  od::value root;
  if (auto e = doc.get_value().get(root)) {
    return {e == simdjson::SCALAR_DOCUMENT_AS_VALUE ? DecodeStatus::not_an_object
                                                    : json::map_error(e)};
  }

  Topic topic;
  std::string_view event;
  bool data_done = false;
  DecodeResult data_result;  // failures inside `data` keep their own field name
  SeenKeys seen;
  const DecodeResult top = json::for_each_field(
      root, kTopKeys, kTopNames, Format::long_keys, "", seen,
      [&](int index, od::value& v) -> DecodeStatus {
    std::string_view text;
    switch (index) {
      case kTopic:
        if (auto st = json::read_token(v, text); st != DecodeStatus::ok) return st;
        topic = classify_topic(text);
        if (topic.kind == TopicKind::book || topic.kind == TopicKind::trades) data_topic = topic;
        // L1 frames carry no sequence number: not decoded (use update: for the touch). Another
        // grouping's chain would break grouping 0's: not decoded either.
        return topic.kind == TopicKind::unknown || topic.kind == TopicKind::book_l1 ||
                       topic.kind == TopicKind::book_grouped
                   ? DecodeStatus::unknown_channel
                   : DecodeStatus::ok;
      case kData:
        if (!seen.has(kTopic)) return json::skip_bounded(v);
        data_result = parse_data(v, topic.kind);
        data_done = data_result.ok();
        return data_result.status;
      case kEvent: return json::read_token(v, event);
      case kSeverity: return json::read_text(v, text);
      default:  // channel, errors, success: read after the rewind, once the frame's kind is known
        return json::skip_bounded(v);
    }
  });
  if (!data_result.ok()) return data_result;
  if (!top.ok()) return top;
  // Nothing may follow the top-level object.
  const char* trailing;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return {DecodeStatus::trailing_content};
  }

  // The second look, for everything but a data frame whose topic came first.
  auto reread = [&](Top key, od::value& v) -> DecodeResult {
    doc.rewind();
    if (auto e = doc.find_field_unordered(kTopKeys[key].long_key).get(v)) {
      return {json::map_error(e), kTopNames[key]};
    }
    return {};
  };
  od::value v;
  if (seen.has(kTopic)) {
    if (!seen.has(kData)) return {DecodeStatus::missing_field, "data"};
    if (!data_done) {
      if (DecodeResult r = reread(kData, v); !r.ok()) return r;
      if (DecodeResult r = parse_data(v, topic.kind); !r.ok()) return r;
    }
    return {};
  }
  if (seen.has(kEvent)) {
    ControlType type;
    if (json::same_short_text(event, "subscribe")) {
      type = ControlType::subscribed;
    } else if (json::same_short_text(event, "unsubscribe")) {
      type = ControlType::unsubscribed;
    } else if (json::same_short_text(event, "login")) {
      if (!seen.has(kSuccess)) return {DecodeStatus::missing_field, "success"};
      if (DecodeResult r = reread(kSuccess, v); !r.ok()) return r;
      return parse_login(v);
    } else {
      return {DecodeStatus::unknown_response_type, "event"};
    }
    if (!seen.has(kChannel)) return {DecodeStatus::missing_field, "channel"};
    if (DecodeResult r = reread(kChannel, v); !r.ok()) return r;
    return parse_ack(v, type);
  }
  if (seen.has(kSeverity) || seen.has(kErrors)) {
    if (!seen.has(kErrors)) return {DecodeStatus::missing_field, "errors"};
    if (DecodeResult r = reread(kErrors, v); !r.ok()) return r;
    return parse_errors(v);
  }
  return {DecodeStatus::missing_field, "topic"};
}

DecodeResult Decoder::Impl::parse_data(od::value data, TopicKind kind) noexcept {
  return kind == TopicKind::book ? parse_book(data) : parse_trades(data);
}

// ---- Control frames --------------------------------------------------------------------------

DecodeResult Decoder::Impl::parse_ack(od::value channels, ControlType type) noexcept {
  const char* field_name = "channel";
  out.kind = FrameKind::controls;
  auto add = [&](od::value& tv) -> DecodeResult {
    std::string_view text;
    MDE_TRY(json::read_text(tv, text));
    DecodeResult r;
    ParsedControl* c = next_control(field_name, r);
    if (c == nullptr) return r;
    // The topic is what a resync will resubscribe: refused rather than cut.
    if (!c->topic.assign(text)) return {DecodeStatus::field_too_long, field_name};
    const Topic t = classify_topic(text);
    c->type = type;
    c->channel = channel_of(t.kind);
    c->instrument = lookup(t.symbol);
    return {};
  };
  od::json_type t;
  if (auto e = channels.type().get(t)) return {json::map_error(e), field_name};
  if (t == od::json_type::string) return add(channels);  // a lone topic, not in a list
  if (t != od::json_type::array) return {DecodeStatus::wrong_type, field_name};
  od::array arr;
  if (auto e = channels.get_array().get(arr)) return {json::map_error(e), field_name};
  for (auto er : arr) {
    od::value tv;
    if (auto e = std::move(er).get(tv)) return {json::map_error(e), field_name};
    if (DecodeResult r = add(tv); !r.ok()) return r;
  }
  return {};
}

DecodeResult Decoder::Impl::parse_errors(od::value errors) noexcept {
  const char* field_name = "errors";
  out.kind = FrameKind::controls;
  od::array arr;
  if (auto e = errors.get_array().get(arr)) return {json::map_error(e), field_name};
  for (auto er : arr) {
    od::value ev;
    if (auto e = std::move(er).get(ev)) return {json::map_error(e), field_name};
    DecodeResult r;
    ParsedControl* c = next_control(field_name, r);
    if (c == nullptr) return r;
    c->type = ControlType::error;
    DecodeResult inner;  // failures inside `error` keep their own field name
    SeenKeys seen;
    r = json::for_each_field(ev, kErrorEntryKeys, kErrorEntryNames, Format::long_keys,
                             "errors[]", seen, [&](int index, od::value& fv) -> DecodeStatus {
      std::string_view text;
      if (index == kErrArg) {
        if (auto s = json::read_text(fv, text); s != DecodeStatus::ok) return s;
        // Diagnostic: the venue may echo whatever was sent, so cut to fit.
        (void)c->topic.assign(text.substr(0, c->topic.kCapacity));
        const Topic t = classify_topic(text);
        c->channel = channel_of(t.kind);
        c->instrument = lookup(t.symbol);
        return DecodeStatus::ok;
      }
      SeenKeys eseen;
      inner = json::for_each_field(fv, kErrorKeys, kErrorNames, Format::long_keys,
                                   "errors[].error", eseen,
                                   [&](int ei, od::value& efv) -> DecodeStatus {
        if (ei == kErrCode) return json::read_i64(efv, c->error_code);
        if (auto s = json::read_text(efv, text); s != DecodeStatus::ok) return s;
        (void)c->message.assign(text.substr(0, c->message.kCapacity));
        return DecodeStatus::ok;
      });
      if (inner.ok()) inner = json::require(eseen, bits(kErrCode), kErrorNames);
      return inner.status;
    });
    if (!inner.ok()) return inner;
    if (!r.ok()) return r;
    if (r = json::require(seen, bits(kErrError), kErrorEntryNames); !r.ok()) return r;
  }
  return {};
}

DecodeResult Decoder::Impl::parse_login(od::value success) noexcept {
  const char* field_name = "success";
  bool ok;
  od::json_type t;
  if (auto e = success.type().get(t)) return {json::map_error(e), field_name};
  if (t != od::json_type::boolean) return {DecodeStatus::wrong_type, field_name};
  if (success.get_bool().get(ok) != simdjson::SUCCESS) return {DecodeStatus::malformed_json, field_name};
  DecodeResult r;
  ParsedControl* c = next_control(field_name, r);
  // The private session's state: a good login is the order stream's "connected".
  c->type = ok ? ControlType::connected : ControlType::error;
  c->channel = Channel::orders;
  if (!ok) (void)c->message.assign("login failed");
  out.kind = FrameKind::controls;
  return {};
}

}  // namespace mde::btse

static_assert(mde::FrameDecoder<mde::btse::Decoder>);

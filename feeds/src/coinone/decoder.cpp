// Coinone frame decoding: envelope, payloads and control frames.
//
// One forward pass over the top-level object reads response_type, channel and the control fields
// and decodes `data` in place when the envelope is already known. When `data` comes before
// `channel` (key order is not guaranteed), the document is rewound once and `data` decoded then.
#include "mde/feeds/coinone/decoder.hpp"

#include <simdjson.h>

#include <cstring>
#include <new>

#include "../json_fields.hpp"

namespace mde::coinone {

namespace {

namespace od = simdjson::ondemand;
using json::bits;
using json::Format;
using json::KeySpec;
using json::SeenKeys;
using json::for_each_field;
using json::require;

// ---- Instruments -----------------------------------------------------------------------------

// "XRP" + "KRW" -> "XRP-KRW", upper-cased (acks echo lower-case topics as sent).
[[nodiscard]] bool compose_market(std::string_view target, std::string_view quote,
                                  InstrumentName& out) noexcept {
  char buf[InstrumentName::kCapacity];
  if (target.empty() || quote.empty() || target.size() + quote.size() + 1 > sizeof buf) {
    return false;
  }
  std::size_t n = 0;
  auto put = [&](std::string_view s) {
    for (char c : s) buf[n++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  };
  put(target);
  buf[n++] = '-';
  put(quote);
  return out.assign({buf, n});
}

// ---- Key tables (DEFAULT, SHORT) -------------------------------------------------------------

enum Top { kResponseType, kChannel, kData, kErrorCode, kMessage, kField };
constexpr KeySpec kTopKeys[] = {{"response_type", "r"}, {"channel", "c"}, {"data", "d"},
                                {"error_code", "error_code"}, {"message", "message"},
                                {"field", "field"}};

enum BookKey { kBookQuote, kBookTarget, kBookTimestamp, kBookId, kBookAsks, kBookBids };
constexpr KeySpec kBookKeys[] = {{"quote_currency", "qc"}, {"target_currency", "tc"},
                                 {"timestamp", "t"},       {"id", "i"},
                                 {"asks", "a"},            {"bids", "b"}};
constexpr const char* kBookNames[] = {"data.quote_currency", "data.target_currency",
                                      "data.timestamp",      "data.id",
                                      "data.asks",           "data.bids"};

enum LevelKey { kLevelPrice, kLevelQty };

enum TradeKey { kTrQuote, kTrTarget, kTrId, kTrTimestamp, kTrPrice, kTrQty,
                kTrSellerMaker };
constexpr KeySpec kTradeKeys[] = {{"quote_currency", "qc"}, {"target_currency", "tc"},
                                  {"id", "i"},          {"timestamp", "t"},
                                  {"price", "p"},       {"qty", "q"},
                                  {"is_seller_maker", "sm"}};
constexpr const char* kTradeNames[] = {"data.quote_currency", "data.target_currency", "data.id",
                                       "data.timestamp",      "data.price",
                                       "data.qty",            "data.is_seller_maker"};

enum TickerKey { kTkQuote, kTkTarget, kTkTimestamp, kTkQuoteVolume, kTkTargetVolume, kTkHigh,
                 kTkLow, kTkFirst, kTkLast, kTkVolumePower, kTkAskBestPrice, kTkAskBestQty,
                 kTkBidBestPrice, kTkBidBestQty, kTkId, kTkYHigh, kTkYLow, kTkYFirst, kTkYLast,
                 kTkYQuoteVolume, kTkYTargetVolume };
constexpr KeySpec kTickerKeys[] = {
    {"quote_currency", "qc"}, {"target_currency", "tc"}, {"timestamp", "t"},
    {"quote_volume", "qv"},   {"target_volume", "tv"},   {"high", "hi"},
    {"low", "lo"},            {"first", "fi"},           {"last", "la"},
    {"volume_power", "vp"},   {"ask_best_price", "abp"}, {"ask_best_qty", "abq"},
    {"bid_best_price", "bbp"}, {"bid_best_qty", "bbq"},  {"id", "i"},
    {"yesterday_high", "yhi"}, {"yesterday_low", "ylo"}, {"yesterday_first", "yfi"},
    {"yesterday_last", "yla"}, {"yesterday_quote_volume", "yqv"},
    {"yesterday_target_volume", "ytv"}};
constexpr const char* kTickerNames[] = {
    "data.quote_currency", "data.target_currency", "data.timestamp", "data.quote_volume",
    "data.target_volume", "data.high", "data.low", "data.first", "data.last",
    "data.volume_power", "data.ask_best_price", "data.ask_best_qty", "data.bid_best_price",
    "data.bid_best_qty", "data.id", "data.yesterday_high", "data.yesterday_low",
    "data.yesterday_first", "data.yesterday_last", "data.yesterday_quote_volume",
    "data.yesterday_target_volume"};

enum OrderKey { kOQuote, kOTarget, kOOrderId, kOType, kOStatus, kOSide, kOOrderPrice, kOOrderQty,
                kOOrderAmount, kOTradeId, kOIsMaker, kOExecPrice, kOExecQty, kOExecFee,
                kORemainQty, kORemainAmount, kOUserOrderId, kOPreventedQty, kOExecTimestamp,
                kOOrderTimestamp, kOTimestamp };
constexpr KeySpec kOrderKeys[] = {
    {"quote_currency", "qc"},  {"target_currency", "tc"}, {"order_id", "oi"},
    {"type", "t"},             {"status", "st"},          {"side", "s"},
    {"order_price", "op"},     {"order_qty", "oq"},       {"order_amount", "oa"},
    {"trade_id", "ti"},        {"is_maker", "im"},        {"executed_price", "ep"},
    {"executed_qty", "eq"},    {"executed_fee", "ef"},    {"remain_qty", "rq"},
    {"remain_amount", "ra"},   {"user_order_id", "ui"},   {"prevented_qty", "pq"},
    {"executed_timestamp", "et"}, {"order_timestamp", "ot"}, {"timestamp", "ts"}};
constexpr const char* kOrderNames[] = {
    "data.quote_currency", "data.target_currency", "data.order_id", "data.type", "data.status",
    "data.side", "data.order_price", "data.order_qty", "data.order_amount", "data.trade_id",
    "data.is_maker", "data.executed_price", "data.executed_qty", "data.executed_fee",
    "data.remain_qty", "data.remain_amount", "data.user_order_id", "data.prevented_qty",
    "data.executed_timestamp", "data.order_timestamp", "data.timestamp"};

enum AssetKey { kAAssets, kAType, kATimestamp, kAOrderId, kAUserOrderId, kATradeId };
constexpr KeySpec kAssetKeys[] = {{"assets", "as"},   {"type", "t"},
                                  {"timestamp", "ts"}, {"order_id", "oi"},
                                  {"user_order_id", "ui"}, {"trade_id", "ti"}};
constexpr const char* kAssetNames[] = {"data.assets",   "data.type",          "data.timestamp",
                                       "data.order_id", "data.user_order_id", "data.trade_id"};

// Balance entries; the doc's table also nests type/timestamp here, so accept them.
enum BalanceKey { kBCurrency, kBAvailable, kBLimit, kBType, kBTimestamp };
constexpr KeySpec kBalanceKeys[] = {{"currency", "c"}, {"available", "a"}, {"limit", "l"},
                                    {"type", "t"},     {"timestamp", "ts"}};
constexpr const char* kBalanceNames[] = {"data.assets[].currency", "data.assets[].available",
                                         "data.assets[].limit", "data.assets[].type",
                                         "data.assets[].timestamp"};

enum TopicKey { kTopicQuote, kTopicTarget };
constexpr KeySpec kTopicKeys[] = {{"quote_currency", "qc"}, {"target_currency", "tc"}};

// ---- Enumerations --------------------------------------------------------------------------

enum class ResponseType : std::uint8_t { unknown, data, connected, subscribed, unsubscribed, pong,
                                         error };

[[nodiscard]] ResponseType parse_response_type(std::string_view s) noexcept {
  if (json::same_short_text(s, "DATA")) return ResponseType::data;
  if (json::same_short_text(s, "SUBSCRIBED")) return ResponseType::subscribed;
  if (json::same_short_text(s, "PONG")) return ResponseType::pong;
  if (json::same_short_text(s, "CONNECTED")) return ResponseType::connected;
  if (json::same_short_text(s, "UNSUBSCRIBED")) return ResponseType::unsubscribed;
  if (json::same_short_text(s, "ERROR")) return ResponseType::error;
  return ResponseType::unknown;
}

enum class WireChannel : std::uint8_t { unknown, orderbook, trade, ticker, chart, myorder, myasset };

[[nodiscard]] WireChannel parse_channel(std::string_view s) noexcept {
  if (json::same_short_text(s, "TRADE")) return WireChannel::trade;
  if (json::same_short_text(s, "ORDERBOOK")) return WireChannel::orderbook;
  if (json::same_short_text(s, "MYORDER")) return WireChannel::myorder;
  if (json::same_short_text(s, "TICKER")) return WireChannel::ticker;
  if (json::same_short_text(s, "MYASSET")) return WireChannel::myasset;
  if (json::same_short_text(s, "CHART")) return WireChannel::chart;
  return WireChannel::unknown;
}

[[nodiscard]] Channel to_channel(WireChannel c) noexcept {
  switch (c) {
    case WireChannel::orderbook: return Channel::book;
    case WireChannel::trade: return Channel::trade;
    case WireChannel::ticker: return Channel::ticker;
    case WireChannel::chart: return Channel::candles;
    case WireChannel::myorder: return Channel::orders;
    case WireChannel::myasset: return Channel::assets;
    case WireChannel::unknown: break;
  }
  return Channel::none;
}

[[nodiscard]] OrderEventType parse_order_status(std::string_view s) noexcept {
  if (json::same_short_text(s, "trade")) return OrderEventType::fill;
  if (json::same_short_text(s, "done")) return OrderEventType::fill;  // seed 001: a fill, same meaning as "trade"
  if (json::same_short_text(s, "wait")) return OrderEventType::open;
  if (json::same_short_text(s, "trade_done")) return OrderEventType::filled;
  if (json::same_short_text(s, "cancel")) return OrderEventType::cancelled;
  if (json::same_short_text(s, "cancel_post_only")) return OrderEventType::cancelled_post_only;
  if (json::same_short_text(s, "watch") || json::same_short_text(s, "not_triggered")) return OrderEventType::pending_trigger;
  return OrderEventType::unknown;
}

[[nodiscard]] AssetChangeReason parse_asset_reason(std::string_view s) noexcept {
  if (json::same_short_text(s, "trade")) return AssetChangeReason::trade;
  if (json::same_short_text(s, "order")) return AssetChangeReason::order;
  if (json::same_short_text(s, "cancel")) return AssetChangeReason::cancel;
  if (json::same_short_text(s, "deposit")) return AssetChangeReason::deposit;
  if (json::same_short_text(s, "withdrawal")) return AssetChangeReason::withdrawal;
  if (json::same_short_text(s, "cancel_withdrawal")) return AssetChangeReason::cancel_withdrawal;
  if (json::same_short_text(s, "cancel_post_only")) return AssetChangeReason::cancel_post_only;
  return AssetChangeReason::unknown;
}

}  // namespace

// ---- The decoder ----------------------------------------------------------------------------

struct Decoder::Impl {
  Impl(InstrumentRegistry& r, DecoderOptions o) : registry(r), options(o) {
    if (parser.allocate(options.max_frame_bytes, kMaxDepth) != simdjson::SUCCESS) {
      throw std::bad_alloc();
    }
  }

  static constexpr std::size_t kMaxDepth = 32;

  DecodeResult decode(FrameView frame, Event& out) noexcept;
  DecodeResult decode_data(od::value data, Format fmt, ResponseType rt, WireChannel channel,
                           Event& out) noexcept;
  DecodeResult decode_book(od::value data, Format fmt, Event& out) noexcept;
  DecodeResult decode_levels(od::value v, Format fmt, PriceLevel* levels, std::uint8_t& count,
                             const char* name, const char* price_name) noexcept;
  DecodeResult decode_trade(od::value data, Format fmt, Event& out) noexcept;
  DecodeResult decode_ticker(od::value data, Format fmt, Event& out) noexcept;
  DecodeResult decode_order(od::value data, Format fmt, Event& out) noexcept;
  DecodeResult decode_asset(od::value data, Format fmt, Event& out) noexcept;
  DecodeResult decode_control_data(od::value data, Format fmt, ResponseType rt,
                                   Event& out) noexcept;
  DecodeResult decode_topic(od::value v, Format fmt, InstrumentId& id) noexcept;
  DecodeResult resolve(std::string_view target, std::string_view quote, InstrumentId& id,
                       bool required) noexcept;
  // Rejections only: kept out of line so the accepting path stays as compact as before.
  [[nodiscard, gnu::cold, gnu::noinline]] RejectedSubject rejected_subject() const noexcept;

  od::parser parser;
  InstrumentRegistry& registry;
  DecoderOptions options;
  // Control-frame data collected while decoding `data`, applied after the envelope is complete.
  InstrumentId control_instrument = kNoInstrument;
  std::uint8_t control_topics = 0;
  // The last market resolved, as sent (ids never change once handed out).
  FixedString<15> cached_target{};
  FixedString<15> cached_quote{};
  InstrumentId cached_id = kNoInstrument;
  // What the frame being decoded is about, kept for a rejection's subject: the DATA channel
  // (once the envelope is known) and an ORDERBOOK's market as sent (views into the frame).
  WireChannel data_channel = WireChannel::unknown;
  std::string_view book_quote{}, book_target{};
};

Decoder::Decoder(InstrumentRegistry& registry, DecoderOptions options)
    : impl_(std::make_unique<Impl>(registry, options)) {}
Decoder::~Decoder() = default;

DecodeResult Decoder::decode(FrameView frame, Event& out) noexcept {
  out.header.kind = EventKind::none;
  impl_->data_channel = WireChannel::unknown;  // book_quote/target: set whenever it says orderbook
  DecodeResult r = impl_->decode(frame, out);
  if (!r.ok()) {
    out.header.kind = EventKind::none;
    r.subject = impl_->rejected_subject();
  }
  return r;
}

RejectedSubject Decoder::Impl::rejected_subject() const noexcept {
  RejectedSubject s{to_channel(data_channel), Venue::coinone, false, kNoInstrument};
  InstrumentName name;
  // A lookup only: a market the decoder never registered has no book to mark.
  if (data_channel == WireChannel::orderbook && compose_market(book_target, book_quote, name)) {
    s.instrument = registry.find(Venue::coinone, name.view()).value_or(kNoInstrument);
  }
  return s;
}

DecodeResult Decoder::Impl::resolve(std::string_view target, std::string_view quote,
                                    InstrumentId& id, bool required) noexcept {
  // An empty currency is a bad value, not an over-long one.
  if (quote.empty()) return {DecodeStatus::bad_value, "data.quote_currency"};
  if (target.empty()) return {DecodeStatus::bad_value, "data.target_currency"};
  if (cached_id != kNoInstrument && target == cached_target.view() &&
      quote == cached_quote.view()) {
    id = cached_id;
    return {};
  }
  InstrumentName name;
  if (!compose_market(target, quote, name)) {
    return {DecodeStatus::field_too_long, "data.target_currency"};
  }
  std::optional<InstrumentId> found = registry.find(Venue::coinone, name.view());
  if (found && cached_target.assign(target) && cached_quote.assign(quote)) cached_id = *found;
  if (!found && options.add_unknown_instruments) found = registry.add(Venue::coinone, name.view());
  if (found) {
    id = *found;
  } else if (required) {
    return {DecodeStatus::unknown_instrument, "data.target_currency"};
  } else {
    id = kNoInstrument;
  }
  return {};
}

DecodeResult Decoder::Impl::decode(FrameView frame, Event& out) noexcept {
  const char* field_name = "";
  if (frame.size == 0) return {DecodeStatus::empty_input};
  if (frame.size > options.max_frame_bytes) return {DecodeStatus::frame_too_large};

  od::document doc;
  if (auto e = parser.iterate(frame.data, frame.size, frame.size + kFramePadding).get(doc)) {
    return {json::map_error(e)};
  }
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    return {e == simdjson::INCORRECT_TYPE ? DecodeStatus::not_an_object : json::map_error(e)};
  }

  ResponseType rt = ResponseType::unknown;
  WireChannel channel = WireChannel::unknown;
  bool data_seen = false;
  bool data_done = false;
  Format fmt = Format::long_keys;
  std::int64_t error_code = 0;
  FixedString<63> message{};
  FixedString<23> error_field{};
  control_instrument = kNoInstrument;
  control_topics = 0;

  SeenKeys seen;
  for (auto fr : root) {
    if (auto e = fr.error()) return {json::map_error(e)};
    od::field&& f = std::move(fr).value_unsafe();
    const json::PackedKey key = json::load_key(json::key_view(f));
    int index = json::find_key(kTopKeys, key, fmt);  // the format seen so far first
    if (index < 0) {
      index = json::find_key(kTopKeys, key,
                             fmt == Format::short_keys ? Format::long_keys : Format::short_keys);
      if (index == kData) fmt = Format::short_keys;
    }
    od::value v = f.value();
    if (index < 0) {
      MDE_TRY(json::skip_bounded(v));
      continue;
    }
    field_name = kTopKeys[index].long_key.data();
    if (!seen.mark(index)) return {DecodeStatus::duplicate_field, field_name};
    bool is_null;  // null means absent here too (e.g. a null `data` is no data)
    MDE_TRY(json::check_null(v, is_null));
    if (is_null) {
      seen.mark_null(index);
      continue;
    }
    std::string_view text;
    switch (index) {
      case kResponseType:
        MDE_TRY(json::read_token(v, text));
        rt = parse_response_type(text);
        if (rt == ResponseType::unknown) return {DecodeStatus::unknown_response_type, field_name};
        break;
      case kChannel:
        MDE_TRY(json::read_token(v, text));
        channel = parse_channel(text);
        break;
      case kData:
        data_seen = true;
        if (seen.has(kResponseType) && seen.has(kChannel)) {
          if (DecodeResult r = decode_data(v, fmt, rt, channel, out); !r.ok()) return r;
          data_done = true;
        } else {
          MDE_TRY(json::skip_bounded(v));
        }
        break;
      case kErrorCode:
        MDE_TRY(json::read_i64(v, error_code));
        break;
      case kMessage:
        MDE_TRY(json::read_text(v, text));
        (void)message.assign(text.substr(0, message.kCapacity));  // diagnostic: cut to fit
        break;
      case kField:
        // Diagnostic like `message`: cut to fit rather than lose the ERROR frame.
        MDE_TRY(json::read_text(v, text));
        (void)error_field.assign(text.substr(0, error_field.kCapacity));
        break;
      default:
        break;
    }
  }
  // Nothing may follow the top-level object.
  const char* trailing;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return {DecodeStatus::trailing_content};
  }
  if (!seen.has(kResponseType)) return {DecodeStatus::missing_field, "response_type"};

  if (rt == ResponseType::data) {
    if (!seen.has(kChannel)) return {DecodeStatus::missing_field, "channel"};
    if (!data_seen) return {DecodeStatus::missing_field, fmt == Format::short_keys ? "d" : "data"};
  }
  if (data_seen && !data_done) {
    // `data` came before the envelope was known: read it again now.
    doc.rewind();
    od::value v;
    const std::string_view key = fmt == Format::short_keys ? "d" : "data";
    if (auto e = doc.find_field_unordered(key).get(v)) return {json::map_error(e), "data"};
    if (DecodeResult r = decode_data(v, fmt, rt, channel, out); !r.ok()) return r;
  }

  out.header.exchange_ns = rt == ResponseType::data ? out.header.exchange_ns : 0;
  out.header.receive_ns = 0;
  out.header.enqueue_tsc = 0;
  out.header.connection = options.connection;
  out.header.venue = Venue::coinone;
  if (rt == ResponseType::data) return {};  // decode_data set kind, instrument and timestamp

  Control& c = out.control;
  if (!data_seen || rt != ResponseType::connected) c.session_id.clear();
  c.message = message;
  c.field = error_field;
  c.topic.clear();  // Coinone names its topic by currency pair: header.instrument
  c.error_code = error_code;
  c.channel = to_channel(channel);
  c.topic_count = control_topics;
  switch (rt) {
    case ResponseType::connected: c.type = ControlType::connected; break;
    case ResponseType::subscribed: c.type = ControlType::subscribed; break;
    case ResponseType::unsubscribed: c.type = ControlType::unsubscribed; break;
    case ResponseType::pong: c.type = ControlType::pong; break;
    case ResponseType::error:
      c.type = ControlType::error;
      if (!seen.has(kErrorCode)) return {DecodeStatus::missing_field, "error_code"};
      break;
    default: return {DecodeStatus::unknown_response_type, "response_type"};
  }
  out.header.instrument = control_instrument;
  out.header.kind = EventKind::control;
  return {};
}

DecodeResult Decoder::Impl::decode_data(od::value data, Format fmt, ResponseType rt,
                                        WireChannel channel, Event& out) noexcept {
  if (rt != ResponseType::data) return decode_control_data(data, fmt, rt, out);
  data_channel = channel;
  switch (channel) {
    case WireChannel::orderbook: return decode_book(data, fmt, out);
    case WireChannel::trade: return decode_trade(data, fmt, out);
    case WireChannel::myorder: return decode_order(data, fmt, out);
    case WireChannel::ticker: return decode_ticker(data, fmt, out);
    case WireChannel::myasset: return decode_asset(data, fmt, out);
    case WireChannel::chart:
    case WireChannel::unknown: break;
  }
  return {DecodeStatus::unknown_channel, "channel"};
}

// ---- ORDERBOOK -------------------------------------------------------------------------------

// Which level key `raw` (just past the opening quote) is: 0 price, 1 qty, -1 another key.
// Reads a few bytes past a short key: the frame's padding makes that safe.
[[nodiscard]] inline int level_key(const char* raw, Format fmt) noexcept {
  if (fmt == Format::short_keys) {
    if (raw[1] != '"') return -1;
    return raw[0] == 'p' ? kLevelPrice : raw[0] == 'q' ? kLevelQty : -1;
  }
  if (std::memcmp(raw, "price\"", 6) == 0) return kLevelPrice;
  if (std::memcmp(raw, "qty\"", 4) == 0) return kLevelQty;
  return -1;
}

// The book's inner loop (32 objects per Coinone frame), written out rather than through
// for_each_field: a fixed two-key object does not need the generic key table.
DecodeResult Decoder::Impl::decode_levels(od::value v, Format fmt, PriceLevel* levels,
                                          std::uint8_t& count, const char* name,
                                          const char* price_name) noexcept {
  const char* field_name = name;
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), name};
  std::size_t n = 0;
  for (auto er : arr) {
    od::value lv;
    if (auto e = std::move(er).get(lv)) return {json::map_error(e), name};
    if (n == kMaxBookLevels) return {DecodeStatus::too_many_levels, name};
    od::object obj;
    if (auto e = lv.get_object().get(obj)) {
      return {e == simdjson::INCORRECT_TYPE ? DecodeStatus::not_an_object : json::map_error(e),
              name};
    }
    PriceLevel& level = levels[n];
    bool seen[2] = {false, false};
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return {json::map_error(e), name};
      const int index = level_key(f.key().raw(), fmt);
      if (index < 0) {
        MDE_TRY(json::skip_bounded(f.value()));
        continue;
      }
      if (seen[index]) return {DecodeStatus::duplicate_field, name};
      seen[index] = true;
      od::value fv = f.value();
      Decimal& target = index == kLevelPrice ? level.price : level.qty;
      bool present = false;
      MDE_TRY(json::read_decimal(fv, target, present));
      if (!present) return {DecodeStatus::missing_field, name};  // null price or qty
      // A negative price or size is never a book level; letting it through would corrupt the
      // book downstream instead of failing here, where the frame is known.
      if (target.is_negative()) {
        return {DecodeStatus::bad_number, index == kLevelPrice ? price_name : name};
      }
    }
    if (!seen[kLevelPrice] || !seen[kLevelQty]) return {DecodeStatus::missing_field, name};
    // Nor is a zero price (issue #8): a level at 0 would sort as the worst bid or best ask.
    if (level.price.is_zero()) return {DecodeStatus::bad_number, price_name};
    ++n;
  }
  count = static_cast<std::uint8_t>(n);
  return {};
}

DecodeResult Decoder::Impl::decode_book(od::value data, Format fmt, Event& out) noexcept {
  BookUpdate& b = out.book;
  std::string_view quote, target;
  std::int64_t ts = 0;
  SeenKeys seen;
  DecodeResult levels_result;
  DecodeResult r = for_each_field(data, kBookKeys, kBookNames, fmt, "data", seen,
                                  [&](int index, od::value& v) -> DecodeStatus {
    switch (index) {
      case kBookQuote: return json::read_token(v, quote);
      case kBookTarget: return json::read_token(v, target);
      case kBookTimestamp: return json::read_epoch_ns(v, ts);
      case kBookId: return json::read_u64(v, b.id);
      case kBookAsks:
        levels_result =
            decode_levels(v, fmt, b.asks, b.ask_count, "data.asks", "data.asks[].price");
        return levels_result.status;
      case kBookBids:
        levels_result =
            decode_levels(v, fmt, b.bids, b.bid_count, "data.bids", "data.bids[].price");
        return levels_result.status;
    }
    return DecodeStatus::ok;
  });
  book_quote = quote;  // read before any failure below or not at all: a rejection's subject
  book_target = target;
  if (!levels_result.ok()) return levels_result;
  if (!r.ok()) return r;
  if (r = require(seen, bits(kBookQuote, kBookTarget, kBookId, kBookAsks, kBookBids), kBookNames);
      !r.ok()) {
    return r;
  }
  if (r = resolve(target, quote, out.header.instrument, true); !r.ok()) return r;
  b.prev_id = 0;
  b.action = BookAction::snapshot;
  b.part_flags = 0;
  out.header.exchange_ns = ts;
  out.header.kind = EventKind::book;
  return {};
}

// ---- TRADE -----------------------------------------------------------------------------------

DecodeResult Decoder::Impl::decode_trade(od::value data, Format fmt, Event& out) noexcept {
  Trade& t = out.trade;
  std::string_view quote, target;
  std::int64_t ts = 0;
  Tristate seller_maker = Tristate::unknown;
  SeenKeys seen;
  DecodeResult r = for_each_field(data, kTradeKeys, kTradeNames, fmt, "data", seen,
                                  [&](int index, od::value& v) -> DecodeStatus {
    bool present = true;
    DecodeStatus s = DecodeStatus::ok;
    switch (index) {
      case kTrQuote: return json::read_token(v, quote);
      case kTrTarget: return json::read_token(v, target);
      case kTrId: return json::read_fixed(v, t.id);
      case kTrTimestamp: return json::read_epoch_ns(v, ts);
      case kTrPrice:
        s = json::read_decimal(v, t.price, present);
        if (s == DecodeStatus::ok && t.price.is_negative()) s = DecodeStatus::bad_number;
        break;
      case kTrQty:
        s = json::read_decimal(v, t.qty, present);
        if (s == DecodeStatus::ok && t.qty.is_negative()) s = DecodeStatus::bad_number;
        break;
      case kTrSellerMaker:
        s = json::read_tristate(v, seller_maker);
        present = seller_maker != Tristate::unknown;
        break;
    }
    return s == DecodeStatus::ok && !present ? DecodeStatus::missing_field : s;
  });
  if (!r.ok()) return r;
  if (r = require(seen,
                  bits(kTrQuote, kTrTarget, kTrId, kTrTimestamp, kTrPrice,
                       kTrQty, kTrSellerMaker),
                  kTradeNames);
      !r.ok()) {
    return r;
  }
  // 0 is "absent" for an epoch time, and this one is required (as for MYORDER).
  if (ts == 0) return {DecodeStatus::missing_field, "data.timestamp"};
  if (r = resolve(target, quote, out.header.instrument, true); !r.ok()) return r;
  t.taker_side = seller_maker == Tristate::yes ? Side::buy : Side::sell;
  out.header.exchange_ns = ts;
  out.header.kind = EventKind::trade;
  return {};
}

// ---- TICKER ----------------------------------------------------------------------------------

DecodeResult Decoder::Impl::decode_ticker(od::value data, Format fmt, Event& out) noexcept {
  Ticker& t = out.ticker;
  std::memset(static_cast<void*>(&t), 0, sizeof t);  // absent values read as zero
  std::string_view quote, target;
  std::int64_t ts = 0;
  SeenKeys seen;
  DecodeResult r = for_each_field(data, kTickerKeys, kTickerNames, fmt, "data", seen,
                                  [&](int index, od::value& v) -> DecodeStatus {
    bool present = false;
    DecodeStatus s = DecodeStatus::ok;
    switch (index) {
      case kTkQuote: return json::read_token(v, quote);
      case kTkTarget: return json::read_token(v, target);
      case kTkTimestamp: return json::read_epoch_ns(v, ts);
      case kTkId: return json::read_u64(v, t.id);
      case kTkQuoteVolume: return json::read_decimal(v, t.quote_volume, present);
      case kTkTargetVolume: return json::read_decimal(v, t.target_volume, present);
      case kTkYQuoteVolume: return json::read_decimal(v, t.yesterday_quote_volume, present);
      case kTkYTargetVolume: return json::read_decimal(v, t.yesterday_target_volume, present);
      case kTkHigh: return json::read_decimal(v, t.high, present);
      case kTkLow: return json::read_decimal(v, t.low, present);
      case kTkFirst: return json::read_decimal(v, t.first, present);
      case kTkLast: return json::read_decimal(v, t.last, present);
      case kTkVolumePower: return json::read_decimal(v, t.volume_power, present);
      case kTkYHigh: return json::read_decimal(v, t.yesterday_high, present);
      case kTkYLow: return json::read_decimal(v, t.yesterday_low, present);
      case kTkYFirst: return json::read_decimal(v, t.yesterday_first, present);
      case kTkYLast: return json::read_decimal(v, t.yesterday_last, present);
      case kTkAskBestPrice:
        s = json::read_decimal(v, t.ask_best_price, present);
        if (present) t.present |= kTickerAskBestPrice;
        break;
      case kTkAskBestQty:
        s = json::read_decimal(v, t.ask_best_qty, present);
        if (present) t.present |= kTickerAskBestQty;
        break;
      case kTkBidBestPrice:
        s = json::read_decimal(v, t.bid_best_price, present);
        if (present) t.present |= kTickerBidBestPrice;
        break;
      case kTkBidBestQty:
        s = json::read_decimal(v, t.bid_best_qty, present);
        if (present) t.present |= kTickerBidBestQty;
        break;
    }
    return s;
  });
  if (!r.ok()) return r;
  if (r = require(seen, bits(kTkQuote, kTkTarget, kTkTimestamp, kTkLast), kTickerNames); !r.ok()) {
    return r;
  }
  if (ts == 0) return {DecodeStatus::missing_field, "data.timestamp"};  // 0 is "absent"
  if (r = resolve(target, quote, out.header.instrument, true); !r.ok()) return r;
  out.header.exchange_ns = ts;
  out.header.kind = EventKind::ticker;
  return {};
}

// ---- MYORDER ---------------------------------------------------------------------------------

DecodeResult Decoder::Impl::decode_order(od::value data, Format fmt, Event& out) noexcept {
  OrderEvent& o = out.order;
  std::string_view quote, target;
  std::int64_t ts = 0;
  o.present = 0;
  o.executed_ns = 0;
  o.order_ns = 0;
  o.is_maker = Tristate::unknown;
  o.order_type = OrderType::unknown;
  o.trade_id.clear();
  o.client_order_id.clear();
  SeenKeys seen;
  auto optional_decimal = [&](od::value& v, Decimal& target_value, OrderField bit) {
    bool present = false;
    const DecodeStatus s = json::read_decimal(v, target_value, present);
    if (present) o.present |= bit;
    return s;
  };
  auto optional_id = [&](od::value& v, ExchangeId& id, OrderField bit) {
    bool present = false;
    const DecodeStatus s = json::read_fixed_nullable(v, id, present);
    if (present) o.present |= bit;
    return s;
  };
  DecodeResult r = for_each_field(data, kOrderKeys, kOrderNames, fmt, "data", seen,
                                  [&](int index, od::value& v) -> DecodeStatus {
    std::string_view text;
    DecodeStatus s = DecodeStatus::ok;
    switch (index) {
      case kOQuote: return json::read_token(v, quote);
      case kOTarget: return json::read_token(v, target);
      case kOOrderId: return json::read_fixed(v, o.order_id);
      case kOType:
        if ((s = json::read_token(v, text)) != DecodeStatus::ok) return s;
        // An order type this decoder does not know is kept as unknown, not rejected: the
        // status and fills still matter.
        if (json::same_short_text(text, "LIMIT")) o.order_type = OrderType::limit;
        else if (json::same_short_text(text, "MARKET")) o.order_type = OrderType::market;
        else if (json::same_short_text(text, "STOP_LIMIT")) o.order_type = OrderType::stop_limit;
        return s;
      case kOStatus:
        if ((s = json::read_token(v, text)) != DecodeStatus::ok) return s;
        // The type comes from the whole text; venue_status is diagnostic, so a long unknown
        // status is cut to fit instead of costing the order event.
        (void)o.venue_status.assign(text.substr(0, o.venue_status.kCapacity));
        o.type = parse_order_status(text);
        return s;
      case kOSide:
        if ((s = json::read_token(v, text)) != DecodeStatus::ok) return s;
        if (json::same_short_text(text, "BID")) o.side = Side::buy;
        else if (json::same_short_text(text, "ASK")) o.side = Side::sell;
        else return DecodeStatus::bad_value;
        return s;
      case kOOrderPrice: return optional_decimal(v, o.order_price, kOrderPrice);
      case kOOrderQty: return optional_decimal(v, o.order_qty, kOrderQty);
      case kOOrderAmount: return optional_decimal(v, o.order_amount, kOrderAmount);
      case kOTradeId: return optional_id(v, o.trade_id, kTradeId);
      case kOIsMaker: return json::read_tristate(v, o.is_maker);
      case kOExecPrice: return optional_decimal(v, o.executed_price, kExecutedPrice);
      case kOExecQty: return optional_decimal(v, o.executed_qty, kExecutedQty);
      case kOExecFee: return optional_decimal(v, o.executed_fee, kExecutedFee);
      case kORemainQty: return optional_decimal(v, o.remain_qty, kRemainQty);
      case kORemainAmount: return optional_decimal(v, o.remain_amount, kRemainAmount);
      case kOUserOrderId: return optional_id(v, o.client_order_id, kClientOrderId);
      case kOPreventedQty: return optional_decimal(v, o.prevented_qty, kPreventedQty);
      case kOExecTimestamp: return json::read_epoch_ns(v, o.executed_ns);
      case kOOrderTimestamp: return json::read_epoch_ns(v, o.order_ns);
      case kOTimestamp: return json::read_epoch_ns(v, ts);
    }
    return s;
  });
  if (!r.ok()) return r;
  if (r = require(seen, bits(kOQuote, kOTarget, kOOrderId, kOStatus, kOSide, kOTimestamp),
                  kOrderNames);
      !r.ok()) {
    return r;
  }
  if (ts == 0) return {DecodeStatus::missing_field, "data.timestamp"};
  if (o.order_id.empty()) return {DecodeStatus::missing_field, "data.order_id"};
  if (r = resolve(target, quote, out.header.instrument, true); !r.ok()) return r;
  out.header.exchange_ns = ts;
  out.header.kind = EventKind::order;
  return {};
}

// ---- MYASSET ---------------------------------------------------------------------------------

DecodeResult Decoder::Impl::decode_asset(od::value data, Format fmt, Event& out) noexcept {
  AssetEvent& a = out.asset;
  std::int64_t ts = 0;
  std::string_view reason;
  bool reason_seen = false;
  a.count = 0;
  a.order_id.clear();
  a.trade_id.clear();
  a.client_order_id.clear();
  DecodeResult inner;  // failures inside the assets array keep their own field name
  SeenKeys seen;
  DecodeResult r = for_each_field(data, kAssetKeys, kAssetNames, fmt, "data", seen,
                                  [&](int index, od::value& v) -> DecodeStatus {
    bool present;
    switch (index) {
      case kAType:
        reason_seen = true;
        return json::read_token(v, reason);
      case kATimestamp: return json::read_epoch_ns(v, ts);
      case kAOrderId: return json::read_fixed_nullable(v, a.order_id, present);
      case kAUserOrderId: return json::read_fixed_nullable(v, a.client_order_id, present);
      case kATradeId: return json::read_fixed_nullable(v, a.trade_id, present);
      case kAAssets: break;
    }
    od::array arr;
    if (auto e = v.get_array().get(arr)) return json::map_error(e);
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return json::map_error(e);
      if (a.count == kMaxAssetsPerEvent) {
        inner = {DecodeStatus::too_many_assets, "data.assets"};
        return inner.status;
      }
      AssetBalance& bal = a.assets[a.count];
      SeenKeys bseen;
      inner = for_each_field(ev, kBalanceKeys, kBalanceNames, fmt, "data.assets[]", bseen,
                             [&](int bi, od::value& bv) -> DecodeStatus {
        bool p = false;
        DecodeStatus s = DecodeStatus::ok;
        switch (bi) {
          case kBCurrency: return json::read_fixed(bv, bal.currency);
          case kBAvailable: s = json::read_decimal(bv, bal.available, p); break;
          case kBLimit: s = json::read_decimal(bv, bal.locked, p); break;
          case kBType:
            reason_seen = true;
            return json::read_token(bv, reason);
          case kBTimestamp: return json::read_epoch_ns(bv, ts);
        }
        return s == DecodeStatus::ok && !p ? DecodeStatus::missing_field : s;
      });
      if (!inner.ok()) return inner.status;
      if (inner = require(bseen, bits(kBCurrency, kBAvailable, kBLimit), kBalanceNames);
          !inner.ok()) {
        return inner.status;
      }
      ++a.count;
    }
    return DecodeStatus::ok;
  });
  if (!inner.ok()) return inner;
  if (!r.ok()) return r;
  if (r = require(seen, bits(kAAssets), kAssetNames); !r.ok()) return r;
  a.reason = reason_seen ? parse_asset_reason(reason) : AssetChangeReason::unknown;
  out.header.instrument = kNoInstrument;
  out.header.exchange_ns = ts;
  out.header.kind = EventKind::asset;
  return {};
}

// ---- Control-frame data ----------------------------------------------------------------------

DecodeResult Decoder::Impl::decode_topic(od::value v, Format fmt, InstrumentId& id) noexcept {
  std::string_view quote, target;
  SeenKeys seen;
  static constexpr const char* kNames[] = {"data.quote_currency", "data.target_currency"};
  DecodeResult r = for_each_field(v, kTopicKeys, kNames, fmt, "data", seen,
                                  [&](int index, od::value& fv) {
    return json::read_token(fv, index == kTopicQuote ? quote : target);
  });
  if (!r.ok()) return r;
  if (r = require(seen, bits(kTopicQuote, kTopicTarget), kNames); !r.ok()) return r;
  return resolve(target, quote, id, false);
}

DecodeResult Decoder::Impl::decode_control_data(od::value data, Format fmt, ResponseType rt,
                                                Event& out) noexcept {
  const char* field_name = "data";
  // Cleared before anything can return: with `"data":null` the union would otherwise still hold
  // the previous event's bytes where the session id lives.
  if (rt == ResponseType::connected) out.control.session_id.clear();
  od::json_type t;
  if (auto e = data.type().get(t)) return {json::map_error(e), field_name};
  if (t == od::json_type::null) {
    bool is_null;
    MDE_TRY(json::check_null(data, is_null));
    return {};
  }
  if (rt == ResponseType::connected) {
    od::object obj;
    if (auto e = data.get_object().get(obj)) return {json::map_error(e), field_name};
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return {json::map_error(e), field_name};
      if (json::key_view(f) == "session_id") {
        field_name = "data.session_id";
        od::value v = f.value();
        bool present;  // null is absent, as everywhere else
        MDE_TRY(json::read_fixed_nullable(v, out.control.session_id, present));
      } else {
        MDE_TRY(json::skip_bounded(f.value()));
      }
    }
    return {};
  }
  if (rt != ResponseType::subscribed && rt != ResponseType::unsubscribed) {
    MDE_TRY(json::skip_bounded(data));
    return {};
  }
  // A topic object (public) or an array of topics (MYORDER).
  if (t == od::json_type::object) {
    control_topics = 1;
    return decode_topic(data, fmt, control_instrument);
  }
  if (t != od::json_type::array) return {DecodeStatus::wrong_type, field_name};
  od::array arr;
  if (auto e = data.get_array().get(arr)) return {json::map_error(e), field_name};
  for (auto er : arr) {
    od::value tv;
    if (auto e = std::move(er).get(tv)) return {json::map_error(e), field_name};
    InstrumentId id;
    if (DecodeResult r = decode_topic(tv, fmt, id); !r.ok()) return r;
    if (control_topics == 0) control_instrument = id;
    if (control_topics < 255) ++control_topics;
  }
  return {};
}

// ---- Kernel names ----------------------------------------------------------------------------

#define MDE_STRINGIFY_IMPL(x) #x
#define MDE_STRINGIFY(x) MDE_STRINGIFY_IMPL(x)

const char* inline_simd_kernel() noexcept { return MDE_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION); }
const char* runtime_simd_kernel() noexcept {
  return simdjson::get_active_implementation()->name().data();
}

}  // namespace mde::coinone
static_assert(mde::FrameDecoder<mde::coinone::Decoder>);

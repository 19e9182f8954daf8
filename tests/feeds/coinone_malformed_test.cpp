// Malformed frames: each is rejected with the right status (and field, where one is meaningful),
// the event's kind is none, nothing crashes, and the decoder decodes the next good frame exactly
// as if the bad one had never happened.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mde/core/events.hpp"
#include "mde/feeds/coinone/decoder.hpp"
#include "support/coinone_harness.hpp"
#include "support/event_compare.hpp"
#include "support/json_rewrite.hpp"

namespace mde {
namespace {

using test::CoinoneHarness;
using test::events_equal;
using test::with;
using test::frame_containing;

constexpr std::string_view kProtocol = "coinone_protocol_frames.jsonl";

// Valid frames the bad ones are made from.
constexpr std::string_view kTrade =
    R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"XRP","id":"1693560450996001","timestamp":1693560450996,"price":"688.3","qty":"5000","is_seller_maker":true}})";
constexpr std::string_view kOrder =
    R"({"response_type":"DATA","channel":"MYORDER","data":{"quote_currency":"KRW","target_currency":"ETH","order_id":"1b48b02b-1e4d-11e9-9ec7-00e04c3600d7","type":"LIMIT","status":"trade","side":"BID","order_price":null,"trade_id":"1e9c062e-1e4d-11e9-9ec7-00e04c3600d7","is_maker":false,"executed_price":"6244000","executed_qty":"0.01","user_order_id":"80744d42-6c89-4ab4-ac7a-1f46e2c7a041","executed_timestamp":1761024895,"timestamp":1761024907}})";
constexpr std::string_view kBook =
    R"({"response_type":"DATA","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560155038,"id":"1693560155038001","asks":[{"price":"695.5","qty":"5000"}],"bids":[{"price":"687.4","qty":"6704.0994"}]}})";
constexpr std::string_view kAsset =
    R"({"response_type":"DATA","channel":"MYASSET","data":{"assets":[{"currency":"KRW","available":"154902734.0029","limit":"8400.0000"}],"type":"trade","timestamp":1760937483}})";
constexpr std::string_view kTicker =
    R"({"response_type":"DATA","channel":"TICKER","data":{"quote_currency":"KRW","target_currency":"XRP","timestamp":1693560360010,"quote_volume":"55904975548.1528","last":"687.9","ask_best_price":"687.9","id":"1693560360010001"}})";
constexpr std::string_view kError =
    R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"channel"})";
constexpr std::string_view kSubscribed =
    R"({"response_type":"SUBSCRIBED","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP"}})";


std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string levels(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s += R"({"price":")";
    s += std::to_string(600 + i);
    s += R"(","qty":"1"})";
  }
  return s;
}

std::string assets(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ',';
    s += R"({"currency":"C)";
    s += std::to_string(i);
    s += R"(","available":"1","limit":"0"})";
  }
  return s;
}

struct BadFrame {
  std::string name;
  std::string frame;
  DecodeStatus status;
  const char* field;  // nullptr: the field is not meaningful for this failure
};

std::vector<BadFrame> bad_frames() {
  const std::string id48(48, 'a');
  const std::string deep_object = repeat(R"({"a":)", 10000) + "1" + repeat("}", 10000);
  const std::string deep_array = repeat("[", 10000) + repeat("]", 10000);
  return {
      // ---- Not a frame at all
      {"empty input", "", DecodeStatus::empty_input, nullptr},
      {"whitespace only", " \t\r\n  ", DecodeStatus::empty_input, nullptr},
      {"top-level array", R"([{"response_type":"PONG"}])", DecodeStatus::not_an_object, nullptr},
      {"top-level string", R"("PONG")", DecodeStatus::not_an_object, nullptr},
      {"top-level number", "42", DecodeStatus::not_an_object, nullptr},
      {"top-level null", "null", DecodeStatus::not_an_object, nullptr},
      {"second object after the frame", R"({"response_type":"PONG"}{})",
       DecodeStatus::trailing_content, nullptr},
      {"closing brace after the frame", R"({"response_type":"PONG"}})",
       DecodeStatus::trailing_content, nullptr},
      {"garbage word after the frame", R"({"response_type":"PONG"} garbage)",
       DecodeStatus::malformed_json, nullptr},
      {"number after the frame", R"({"response_type":"PONG"} 1)", DecodeStatus::malformed_json,
       nullptr},
      {"unclosed object", R"({"response_type":"PONG")", DecodeStatus::malformed_json, nullptr},
      {"unclosed string", R"({"response_type":"PONG)", DecodeStatus::malformed_json, nullptr},
      {"missing colon", R"({"response_type" "PONG"})", DecodeStatus::malformed_json, nullptr},
      {"missing comma", R"({"response_type":"PONG" "x":1})", DecodeStatus::malformed_json, nullptr},
      {"trailing comma", R"({"response_type":"PONG",})", DecodeStatus::malformed_json, nullptr},
      {"double comma", with(kTrade, R"(,"channel")", R"(,,"channel")"),
       DecodeStatus::malformed_json, nullptr},
      {"single quotes", R"({'response_type':'PONG'})", DecodeStatus::malformed_json, nullptr},

      // ---- Envelope
      {"unknown response_type", with(kTrade, "\"DATA\"", "\"DATUM\""),
       DecodeStatus::unknown_response_type, "response_type"},
      {"lower-case response_type", with(kTrade, "\"DATA\"", "\"data\""),
       DecodeStatus::unknown_response_type, "response_type"},
      {"unknown channel", with(kTrade, "\"TRADE\"", "\"TRADES\""), DecodeStatus::unknown_channel,
       "channel"},
      {"CHART channel", frame_containing(kProtocol, {R"("channel":"CHART")"}),
       DecodeStatus::unknown_channel, "channel"},
      {"missing response_type", R"({"channel":"TRADE","data":{}})", DecodeStatus::missing_field,
       "response_type"},
      {"null response_type", with(kTrade, "\"DATA\"", "null"), DecodeStatus::missing_field,
       "response_type"},
      {"DATA without channel", with(kTrade, R"("channel":"TRADE",)", ""),
       DecodeStatus::missing_field, "channel"},
      {"DATA with null channel", with(kTrade, "\"TRADE\"", "null"), DecodeStatus::missing_field,
       "channel"},
      {"DATA without data", R"({"response_type":"DATA","channel":"TRADE"})",
       DecodeStatus::missing_field, "data"},
      {"DATA with null data", R"({"response_type":"DATA","channel":"TRADE","data":null})",
       DecodeStatus::missing_field, "data"},
      {"response_type as number", with(kTrade, "\"DATA\"", "1"), DecodeStatus::wrong_type,
       "response_type"},
      {"channel as object", with(kTrade, "\"TRADE\"", "{}"), DecodeStatus::wrong_type, "channel"},
      {"data as string", R"({"response_type":"DATA","channel":"TRADE","data":"x"})",
       DecodeStatus::not_an_object, "data"},
      {"data as array of objects", R"({"response_type":"DATA","channel":"TRADE","data":[{}]})",
       DecodeStatus::not_an_object, "data"},
      {"duplicate response_type", with(kTrade, R"("channel")", R"("response_type":"DATA","channel")"),
       DecodeStatus::duplicate_field, "response_type"},
      {"response_type and r", with(kTrade, R"("channel")", R"("r":"DATA","channel")"),
       DecodeStatus::duplicate_field, "response_type"},
      {"data and d", with(kTrade, R"("channel")", R"("d":{},"channel")"),
       DecodeStatus::duplicate_field, "data"},
      {"ERROR without error_code", R"({"response_type":"ERROR","message":"Invalid Topic"})",
       DecodeStatus::missing_field, "error_code"},
      {"ERROR with null error_code", with(kError, "160011", "null"), DecodeStatus::missing_field,
       "error_code"},
      {"ERROR with string error_code", with(kError, "160011", "\"160011\""),
       DecodeStatus::wrong_type, "error_code"},
      {"ERROR with fractional error_code", with(kError, "160011", "160011.5"),
       DecodeStatus::bad_number, "error_code"},
      {"SUBSCRIBED with string data", with(kSubscribed, R"({"quote_currency":"KRW","target_currency":"XRP"})", "\"x\""),
       DecodeStatus::wrong_type, "data"},
      {"SUBSCRIBED topic without target", with(kSubscribed, R"(,"target_currency":"XRP")", ""),
       DecodeStatus::missing_field, "data.target_currency"},
      {"SUBSCRIBED topic list with a number", R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[1]})",
       DecodeStatus::not_an_object, "data"},
      {"CONNECTED session id too long",
       R"({"response_type":"CONNECTED","data":{"session_id":")" + id48 + "\"}}",
       DecodeStatus::field_too_long, "data.session_id"},
      {"CONNECTED session id as number", R"({"response_type":"CONNECTED","data":{"session_id":7}})",
       DecodeStatus::wrong_type, "data.session_id"},

      // ---- Missing or null required fields
      {"trade without price", with(kTrade, R"("price":"688.3",)", ""), DecodeStatus::missing_field,
       "data.price"},
      {"trade with null price", with(kTrade, R"("688.3")", "null"), DecodeStatus::missing_field,
       "data.price"},
      {"trade without quote_currency", with(kTrade, R"("quote_currency":"KRW",)", ""),
       DecodeStatus::missing_field, "data.quote_currency"},
      {"trade with null quote_currency", with(kTrade, R"("KRW")", "null"),
       DecodeStatus::missing_field, "data.quote_currency"},
      {"trade without is_seller_maker", with(kTrade, R"(,"is_seller_maker":true)", ""),
       DecodeStatus::missing_field, "data.is_seller_maker"},
      {"trade with null is_seller_maker", with(kTrade, "true", "null"), DecodeStatus::missing_field,
       "data.is_seller_maker"},
      {"trade with null timestamp", with(kTrade, "1693560450996,", "null,"),
       DecodeStatus::missing_field, "data.timestamp"},
      {"trade with zero timestamp", with(kTrade, "1693560450996,", "0,"),
       DecodeStatus::missing_field, "data.timestamp"},
      {"trade with null id", with(kTrade, R"("1693560450996001")", "null"),
       DecodeStatus::missing_field, "data.id"},
      {"book without bids", with(kBook, R"(,"bids":[{"price":"687.4","qty":"6704.0994"}])", ""),
       DecodeStatus::missing_field, "data.bids"},
      {"book without id", with(kBook, R"("id":"1693560155038001",)", ""),
       DecodeStatus::missing_field, "data.id"},
      {"book with null id", with(kBook, R"("1693560155038001")", "null"),
       DecodeStatus::missing_field, "data.id"},
      {"book with null asks", with(kBook, R"([{"price":"695.5","qty":"5000"}])", "null"),
       DecodeStatus::missing_field, "data.asks"},
      {"level without qty", with(kBook, R"({"price":"695.5","qty":"5000"})", R"({"price":"695.5"})"),
       DecodeStatus::missing_field, "data.asks"},
      {"level with null price", with(kBook, R"("695.5")", "null"), DecodeStatus::missing_field,
       "data.asks"},
      {"ticker without last", with(kTicker, R"("last":"687.9",)", ""), DecodeStatus::missing_field,
       "data.last"},
      {"ticker with null timestamp", with(kTicker, "1693560360010,", "null,"),
       DecodeStatus::missing_field, "data.timestamp"},
      {"order without side", with(kOrder, R"("side":"BID",)", ""), DecodeStatus::missing_field,
       "data.side"},
      {"order with null status", with(kOrder, R"("trade",)", "null,"), DecodeStatus::missing_field,
       "data.status"},
      {"order without order_id", with(kOrder, R"("order_id":"1b48b02b-1e4d-11e9-9ec7-00e04c3600d7",)", ""),
       DecodeStatus::missing_field, "data.order_id"},
      {"order with null order_id", with(kOrder, R"("1b48b02b-1e4d-11e9-9ec7-00e04c3600d7")", "null"),
       DecodeStatus::missing_field, "data.order_id"},
      {"order with empty order_id", with(kOrder, R"("1b48b02b-1e4d-11e9-9ec7-00e04c3600d7")", R"("")"),
       DecodeStatus::missing_field, "data.order_id"},
      {"order with null timestamp", with(kOrder, "1761024907}", "null}"),
       DecodeStatus::missing_field, "data.timestamp"},
      {"order with zero timestamp", with(kOrder, "1761024907}", "0}"),
       DecodeStatus::missing_field, "data.timestamp"},
      {"asset without assets", R"({"response_type":"DATA","channel":"MYASSET","data":{"type":"trade","timestamp":1760937483}})",
       DecodeStatus::missing_field, "data.assets"},
      {"asset with null assets", with(kAsset, R"([{"currency":"KRW","available":"154902734.0029","limit":"8400.0000"}])", "null"),
       DecodeStatus::missing_field, "data.assets"},
      {"balance without limit", with(kAsset, R"(,"limit":"8400.0000")", ""),
       DecodeStatus::missing_field, "data.assets[].limit"},
      {"balance with null currency", with(kAsset, R"("KRW")", "null"), DecodeStatus::missing_field,
       "data.assets[].currency"},
      {"balance with null available", with(kAsset, R"("154902734.0029")", "null"),
       DecodeStatus::missing_field, "data.assets[].available"},

      // ---- Wrong types and bad values
      {"quote_currency as number", with(kTrade, R"("KRW")", "1"), DecodeStatus::wrong_type,
       "data.quote_currency"},
      {"price as object", with(kTrade, R"("688.3")", "{}"), DecodeStatus::wrong_type, "data.price"},
      {"price as bool", with(kTrade, R"("688.3")", "true"), DecodeStatus::wrong_type, "data.price"},
      {"is_seller_maker as number", with(kTrade, "true", "1"), DecodeStatus::wrong_type,
       "data.is_seller_maker"},
      {"is_seller_maker as other text", with(kTrade, "true", R"("yes")"), DecodeStatus::bad_value,
       "data.is_seller_maker"},
      {"trade id as number", with(kTrade, R"("1693560450996001")", "1693560450996001"),
       DecodeStatus::wrong_type, "data.id"},
      {"timestamp as string", with(kTrade, "1693560450996,", R"("1693560450996",)"),
       DecodeStatus::wrong_type, "data.timestamp"},
      {"timestamp with a fraction", with(kTrade, "1693560450996,", "1693560450996.5,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"timestamp with an exponent", with(kTrade, "1693560450996,", "1.693560450996e12,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"timestamp not JSON", with(kTrade, "1693560450996,", "1693560450996-,"),
       DecodeStatus::malformed_json, "data.timestamp"},
      {"bad literal as is_seller_maker", with(kTrade, "true", "tru"), DecodeStatus::malformed_json,
       "data.is_seller_maker"},
      {"asks as object", with(kBook, R"([{"price":"695.5","qty":"5000"}])", R"({"price":"695.5","qty":"5000"})"),
       DecodeStatus::wrong_type, "data.asks"},
      {"level as array", with(kBook, R"({"price":"695.5","qty":"5000"})", R"(["695.5","5000"])"),
       DecodeStatus::not_an_object, "data.asks"},
      {"assets as object", with(kAsset, R"([{"currency":"KRW","available":"154902734.0029","limit":"8400.0000"}])", "{}"),
       DecodeStatus::wrong_type, "data.assets"},
      {"balance as string", with(kAsset, R"({"currency":"KRW","available":"154902734.0029","limit":"8400.0000"})", R"("KRW")"),
       DecodeStatus::not_an_object, "data.assets[]"},
      {"order_id as number", with(kOrder, R"("1b48b02b-1e4d-11e9-9ec7-00e04c3600d7")", "12345"),
       DecodeStatus::wrong_type, "data.order_id"},
      {"bad side", with(kOrder, R"("BID")", R"("BUY")"), DecodeStatus::bad_value, "data.side"},
      {"lower-case side", with(kOrder, R"("BID")", R"("bid")"), DecodeStatus::bad_value,
       "data.side"},
      {"side with an escape", with(kOrder, R"("BID")", R"("B\u0049D")"), DecodeStatus::bad_value,
       "data.side"},
      {"status as array", with(kOrder, R"("trade",)", "[],"), DecodeStatus::wrong_type,
       "data.status"},
      {"is_maker as number", with(kOrder, R"("is_maker":false)", R"("is_maker":0)"),
       DecodeStatus::wrong_type, "data.is_maker"},
      {"empty quote_currency", with(kTrade, R"("KRW")", R"("")"), DecodeStatus::bad_value,
       "data.quote_currency"},
      {"empty target_currency", with(kTrade, R"("XRP")", R"("")"), DecodeStatus::bad_value,
       "data.target_currency"},

      // ---- Numbers
      {"exponent in a decimal string", with(kTrade, R"("688.3")", R"("1e5")"),
       DecodeStatus::bad_number, "data.price"},
      {"exponent in a bare decimal", with(kTrade, R"("688.3")", "1e5"), DecodeStatus::bad_number,
       "data.price"},
      {"double minus in a string", with(kTrade, R"("688.3")", R"("--1")"),
       DecodeStatus::bad_number, "data.price"},
      {"double minus bare", with(kTrade, R"("688.3")", "--1"), DecodeStatus::malformed_json,
       "data.price"},
      {"two points in a string", with(kTrade, R"("688.3")", R"("1.2.3")"),
       DecodeStatus::bad_number, "data.price"},
      {"two points bare", with(kTrade, R"("688.3")", "1.2.3"), DecodeStatus::malformed_json,
       "data.price"},
      {"leading zero bare", with(kTrade, R"("688.3")", "0688.3"), DecodeStatus::malformed_json,
       "data.price"},
      {"30 digits in a string", with(kTrade, R"("688.3")", R"("123456789012345678901234567890")"),
       DecodeStatus::bad_number, "data.price"},
      {"30 digits bare", with(kTrade, R"("688.3")", "123456789012345678901234567890"),
       DecodeStatus::bad_number, "data.price"},
      {"30-digit ticker volume", with(kTicker, R"("55904975548.1528")", R"("123456789012345678901234567890")"),
       DecodeStatus::bad_number, "data.quote_volume"},
      {"nine fractional digits", with(kTrade, R"("688.3")", R"("688.123456789")"),
       DecodeStatus::bad_number, "data.price"},
      {"empty decimal", with(kTrade, R"("688.3")", R"("")"), DecodeStatus::bad_number, "data.price"},
      {"decimal with a plus", with(kTrade, R"("688.3")", R"("+688.3")"), DecodeStatus::bad_number,
       "data.price"},
      {"decimal with a space", with(kTrade, R"("688.3")", R"(" 688.3")"), DecodeStatus::bad_number,
       "data.price"},
      {"decimal with a comma", with(kTrade, R"("688.3")", R"("688,3")"), DecodeStatus::bad_number,
       "data.price"},
      {"decimal NaN", with(kTrade, R"("688.3")", R"("NaN")"), DecodeStatus::bad_number,
       "data.price"},
      {"decimal hex", with(kTrade, R"("688.3")", R"("0x2B0")"), DecodeStatus::bad_number,
       "data.price"},
      {"decimal with an escape", with(kTrade, R"("688.3")", R"("68\u00388.3")"),
       DecodeStatus::bad_number, "data.price"},
      {"negative trade price", with(kTrade, R"("688.3")", R"("-688.3")"), DecodeStatus::bad_number,
       "data.price"},
      {"negative trade qty", with(kTrade, R"("5000")", R"("-5000")"), DecodeStatus::bad_number,
       "data.qty"},
      {"negative level qty", with(kBook, R"("5000")", R"("-5000")"), DecodeStatus::bad_number,
       "data.asks"},
      // Issue #8: a level at a zero or negative price is no level (it would sort as the worst bid
      // or the best ask); the field names the price.
      {"zero ask price", with(kBook, R"("695.5")", R"("0")"), DecodeStatus::bad_number,
       "data.asks[].price"},
      {"zero bid price spelled 0.000", with(kBook, R"("687.4")", R"("0.000")"),
       DecodeStatus::bad_number, "data.bids[].price"},
      {"zero ask price as a bare number", with(kBook, R"("695.5")", "0"), DecodeStatus::bad_number,
       "data.asks[].price"},
      {"negative ask price", with(kBook, R"("695.5")", R"("-695.5")"), DecodeStatus::bad_number,
       "data.asks[].price"},
      {"negative bid price", with(kBook, R"("687.4")", R"("-687.4")"), DecodeStatus::bad_number,
       "data.bids[].price"},
      {"negative timestamp", with(kTrade, "1693560450996,", "-1693560450996,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"timestamp in seconds past int64 ns", with(kTrade, "1693560450996,", "999999999999,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"timestamp in ms past int64 ns", with(kTrade, "1693560450996,", "9223372036855,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"timestamp past int64", with(kTrade, "1693560450996,", "9223372036854775808,"),
       DecodeStatus::bad_number, "data.timestamp"},
      {"book id with letters", with(kBook, R"("1693560155038001")", R"("16935601550380x1")"),
       DecodeStatus::bad_number, "data.id"},
      {"negative book id", with(kBook, R"("1693560155038001")", R"("-1")"),
       DecodeStatus::bad_number, "data.id"},
      {"book id past uint64", with(kBook, R"("1693560155038001")", R"("18446744073709551616")"),
       DecodeStatus::bad_number, "data.id"},
      {"book id of 30 digits", with(kBook, R"("1693560155038001")", R"("123456789012345678901234567890")"),
       DecodeStatus::bad_number, "data.id"},
      {"empty book id", with(kBook, R"("1693560155038001")", R"("")"), DecodeStatus::bad_number,
       "data.id"},

      // ---- Duplicate keys
      {"duplicate price", with(kTrade, R"("qty":"5000")", R"("price":"1","qty":"5000")"),
       DecodeStatus::duplicate_field, "data.price"},
      {"duplicate after a null", with(kTrade, R"("688.3")", R"(null,"price":"688.3")"),
       DecodeStatus::duplicate_field, "data.price"},
      {"duplicate level qty", with(kBook, R"("qty":"5000")", R"("qty":"5000","qty":"1")"),
       DecodeStatus::duplicate_field, "data.asks"},
      {"duplicate currency", with(kAsset, R"("currency":"KRW")", R"("currency":"KRW","currency":"BTC")"),
       DecodeStatus::duplicate_field, "data.assets[].currency"},
      {"duplicate status", with(kOrder, R"("status":"trade")", R"("status":"trade","status":"wait")"),
       DecodeStatus::duplicate_field, "data.status"},
      {"duplicate ERROR message", with(kError, R"("message")", R"("message":"x","message")"),
       DecodeStatus::duplicate_field, "message"},

      // ---- Text
      {"invalid UTF-8 byte", with(kError, "Invalid Type", "Invalid \xff Type"),
       DecodeStatus::invalid_utf8, nullptr},
      {"overlong UTF-8", with(kTrade, "1693560450996001", "16935604\xc0\xaf"),
       DecodeStatus::invalid_utf8, nullptr},
      {"UTF-8 surrogate", with(kOrder, "80744d42", "\xed\xa0\x80"), DecodeStatus::invalid_utf8,
       nullptr},
      {"truncated UTF-8 sequence", with(kError, "Invalid Type", "Invalid \xe2\x82"),
       DecodeStatus::invalid_utf8, nullptr},
      {"UTF-8 in an unknown key", with(kTrade, R"("data")", "\"\xfe\":1,\"data\""),
       DecodeStatus::invalid_utf8, nullptr},
      {"escaped lone surrogate in an id", with(kOrder, "80744d42", R"(\ud800)"),
       DecodeStatus::malformed_json, "data.user_order_id"},
      {"bad escape in an id", with(kOrder, "80744d42", R"(\x41)"), DecodeStatus::malformed_json,
       "data.user_order_id"},
      {"trade id longer than 47 bytes", with(kTrade, "1693560450996001", id48),
       DecodeStatus::field_too_long, "data.id"},
      {"order id longer than 47 bytes", with(kOrder, "1b48b02b-1e4d-11e9-9ec7-00e04c3600d7", id48),
       DecodeStatus::field_too_long, "data.order_id"},
      {"fill id longer than 47 bytes", with(kOrder, "1e9c062e-1e4d-11e9-9ec7-00e04c3600d7", id48),
       DecodeStatus::field_too_long, "data.trade_id"},
      {"client id longer than 47 bytes", with(kOrder, "80744d42-6c89-4ab4-ac7a-1f46e2c7a041", id48),
       DecodeStatus::field_too_long, "data.user_order_id"},
      {"currency longer than 15 bytes", with(kAsset, R"("KRW")", R"("KRWKRWKRWKRWKRWK")"),
       DecodeStatus::field_too_long, "data.assets[].currency"},
      {"market longer than 31 bytes", with(kTrade, R"("XRP")", "\"" + std::string(28, 'X') + "\""),
       DecodeStatus::field_too_long, "data.target_currency"},

      // ---- Capacity
      {"100 ask levels", with(kBook, R"([{"price":"695.5","qty":"5000"}])", "[" + levels(100) + "]"),
       DecodeStatus::too_many_levels, "data.asks"},
      {"65 bid levels", with(kBook, R"([{"price":"687.4","qty":"6704.0994"}])", "[" + levels(65) + "]"),
       DecodeStatus::too_many_levels, "data.bids"},
      {"9 assets", with(kAsset, R"([{"currency":"KRW","available":"154902734.0029","limit":"8400.0000"}])", "[" + assets(9) + "]"),
       DecodeStatus::too_many_assets, "data.assets"},

      // ---- Nesting and skipped values
      {"10000-deep object at top level", deep_object, DecodeStatus::nesting_too_deep, nullptr},
      {"10000-deep array at top level", deep_array, DecodeStatus::not_an_object, nullptr},
      {"10000-deep under an unknown top-level key",
       with(kTrade, R"("data")", R"("x":)" + deep_array + R"(,"data")"),
       DecodeStatus::nesting_too_deep, nullptr},
      {"10000-deep object under an unknown data key",
       with(kTrade, R"("price")", R"("x":)" + deep_object + R"(,"price")"),
       DecodeStatus::nesting_too_deep, nullptr},
      {"10000-deep as data", R"({"response_type":"DATA","channel":"TRADE","data":)" + deep_object + "}",
       DecodeStatus::nesting_too_deep, nullptr},
      {"10000-deep before the envelope", R"({"data":)" + deep_object + R"(,"response_type":"DATA","channel":"TRADE"})",
       DecodeStatus::nesting_too_deep, nullptr},
      {"10000-deep as a price", with(kTrade, R"("688.3")", deep_array), DecodeStatus::wrong_type,
       "data.price"},
      {"10000-deep as the asks", with(kBook, R"([{"price":"695.5","qty":"5000"}])", deep_array),
       DecodeStatus::not_an_object, "data.asks"},
      {"17-deep under an unknown key", with(kTrade, R"("data")", R"("x":)" + repeat("[", 17) + repeat("]", 17) + R"(,"data")"),
       DecodeStatus::nesting_too_deep, nullptr},
      {"bad literal under an unknown key", with(kTrade, R"("data")", R"("x":tru,"data")"),
       DecodeStatus::malformed_json, nullptr},
      {"bad null under an unknown key", with(kTrade, R"("price")", R"("x":nul,"price")"),
       DecodeStatus::malformed_json, nullptr},
      {"bad number under an unknown key", with(kTrade, R"("price")", R"("x":1.2.3,"price")"),
       DecodeStatus::malformed_json, nullptr},
      {"bad escape under an unknown key", with(kTrade, R"("price")", R"("x":"a\qb","price")"),
       DecodeStatus::malformed_json, nullptr},
      {"bad literal in a nullable field", with(kOrder, R"("order_price":null)", R"("order_price":nul)"),
       DecodeStatus::malformed_json, "data.order_price"},
      {"bad null at top level", R"({"response_type":"PONG","field":nulll})",
       DecodeStatus::malformed_json, "field"},
      {"bad data before the envelope", R"({"data":{"quote_currency":"KRW","target_currency":"XRP","id":"1","timestamp":1693560450996,"price":"1e5","qty":"1","is_seller_maker":true},"response_type":"DATA","channel":"TRADE"})",
       DecodeStatus::bad_number, "data.price"},
  };
}

// Every table row, with a good frame decoded after each bad one.
TEST(CoinoneMalformed, EveryBadFrameIsRejectedWithItsReason) {
  const std::vector<BadFrame> table = bad_frames();
  ASSERT_GE(table.size(), 40u);
  CoinoneHarness h;
  const Event good = [&] {
    EXPECT_TRUE(h.decode(kOrder).ok());
    return h.event();
  }();
  for (const BadFrame& bad : table) {
    SCOPED_TRACE(bad.name);
    const DecodeResult r = h.decode(bad.frame);
    EXPECT_EQ(to_string(r.status), to_string(bad.status))
        << "field " << r.field << "\n  frame: " << bad.frame.substr(0, 300);
    if (bad.field != nullptr) {
      EXPECT_STREQ(r.field, bad.field);
    }
    EXPECT_NE(r.field, nullptr);
    EXPECT_EQ(h.event().header.kind, EventKind::none);
    // No poisoned state: the next good frame decodes exactly as on a fresh decoder.
    ASSERT_TRUE(h.decode(kOrder).ok());
    EXPECT_TRUE(events_equal(good, h.event()));
  }
}

TEST(CoinoneMalformed, TheBaseFramesThemselvesAreGood) {
  // Otherwise a row could pass for the wrong reason.
  CoinoneHarness h;
  for (std::string_view f : {kTrade, kOrder, kBook, kAsset, kTicker, kError, kSubscribed}) {
    const DecodeResult r = h.decode(f);
    EXPECT_TRUE(r.ok()) << to_string(r.status) << " " << r.field << "\n" << f;
  }
  EXPECT_TRUE(h.decode(with(kBook, R"([{"price":"695.5","qty":"5000"}])", "[" + levels(64) + "]")).ok());
  EXPECT_EQ(h.event().book.ask_count, 64);
  EXPECT_TRUE(h.decode(with(kAsset, R"([{"currency":"KRW","available":"154902734.0029","limit":"8400.0000"}])", "[" + assets(8) + "]")).ok());
  EXPECT_EQ(h.event().asset.count, 8);
  EXPECT_TRUE(h.decode(with(kTrade, "1693560450996001", std::string(47, 'a'))).ok());
  EXPECT_EQ(h.event().trade.id.size(), 47u);
  EXPECT_TRUE(h.decode(with(kTrade, R"("688.3")", R"("688.30000000000000000")")).ok());
  EXPECT_EQ(h.event().trade.price, Decimal::from_mantissa(688'30000000));
  EXPECT_TRUE(h.decode(with(kTrade, R"("XRP")", "\"" + std::string(27, 'X') + "\"")).status ==
              DecodeStatus::unknown_instrument);  // 31 bytes fits the name; just not registered
  EXPECT_TRUE(h.decode(with(kTrade, "1693560450996,", "9223372036854,")).ok());  // ms in range
  EXPECT_TRUE(h.decode(with(kTrade, "1693560450996,", "9223372036,")).ok());     // s in range
  EXPECT_EQ(h.event().header.exchange_ns, 9'223'372'036'000'000'000);
  EXPECT_TRUE(h.decode(with(kBook, R"("1693560155038001")", R"("18446744073709551615")")).ok());
  EXPECT_EQ(h.event().book.id, 18446744073709551615u);
  EXPECT_TRUE(h.decode(with(kTrade, R"("data")", R"("x":)" + repeat("[", 16) + repeat("]", 16) + R"(,"data")")).ok());
  EXPECT_TRUE(h.decode(with(kOrder, R"("is_maker":false)", R"("is_maker":"true")")).ok());
  EXPECT_EQ(h.event().order.is_maker, Tristate::yes);  // the doc types it as a string
}

TEST(CoinoneMalformed, FrameLargerThanTheDecoderCapacity) {
  CoinoneHarness h({.max_frame_bytes = 64});
  const DecodeResult r = h.decode(kTrade);
  EXPECT_EQ(r.status, DecodeStatus::frame_too_large);
  EXPECT_EQ(h.event().header.kind, EventKind::none);
  EXPECT_TRUE(h.decode(R"({"response_type":"PONG"})").ok());
}

// ---- Truncation at every byte ----------------------------------------------------------------

std::vector<std::string> one_real_frame_per_channel() {
  std::vector<std::string> frames;
  const std::vector<std::vector<std::string_view>> needles = {
      {R"("response_type":"DATA")", R"("channel":"ORDERBOOK")"},
      {R"("r":"DATA")", R"("c":"ORDERBOOK")"},
      {R"("response_type":"DATA")", R"("channel":"TRADE")", "XRP"},
      {R"("c":"TRADE")"},
      {R"("response_type":"DATA")", R"("channel":"TICKER")"},
      {R"("c":"TICKER")"},
      {R"("status":"trade")"},
      {R"("st":"cancel_post_only")"},
      {R"("channel":"MYASSET")", R"("type":"trade")"},
      {R"("c":"MYASSET")", R"("t":"trade")"},
      {"CONNECTED"},
      {R"("SUBSCRIBED","channel":"ORDERBOOK")"},
      {R"("SUBSCRIBED","channel":"MYORDER")"},
      {R"("channel":"MYASSET"})"},
      {"UNSUBSCRIBED"},
      {"PONG"},
      {R"("response_type":"ERROR")"},
  };
  for (const auto& n : needles) {
    std::string f;
    switch (n.size()) {
      case 1: f = frame_containing(kProtocol, {n[0]}); break;
      case 2: f = frame_containing(kProtocol, {n[0], n[1]}); break;
      default: f = frame_containing(kProtocol, {n[0], n[1], n[2]}); break;
    }
    frames.push_back(std::move(f));
  }
  frames.emplace_back(kError);
  return frames;
}

TEST(CoinoneMalformed, EveryTruncationOfEveryChannelIsRejected) {
  CoinoneHarness h;
  std::size_t prefixes = 0;
  std::map<std::string, int> statuses;
  for (const std::string& frame : one_real_frame_per_channel()) {
    ASSERT_TRUE(h.decode(frame).ok()) << frame;
    const Event whole = h.event();
    for (std::size_t n = 0; n < frame.size(); ++n) {
      const std::string_view prefix(frame.data(), n);
      const DecodeResult r = h.decode(prefix);
      ++statuses[std::string(to_string(r.status))];
      ASSERT_FALSE(r.ok()) << "accepted a truncated frame: " << prefix;
      ASSERT_EQ(h.event().header.kind, EventKind::none) << prefix;
      const DecodeStatus want = n == 0 ? DecodeStatus::empty_input : DecodeStatus::malformed_json;
      EXPECT_EQ(r.status, want) << to_string(r.status) << ": " << prefix;
      ASSERT_TRUE(h.decode(frame).ok());
      ASSERT_TRUE(events_equal(whole, h.event())) << "after " << prefix;
      ++prefixes;
    }
  }
  EXPECT_GT(prefixes, 5000u);
  std::string summary;
  for (const auto& [s, count] : statuses) summary += s + "=" + std::to_string(count) + " ";
  RecordProperty("statuses", summary);
}

TEST(CoinoneMalformed, TruncatedPrettyPrintedFramesAreRejected) {
  // Whitespace-only tails: a prefix that ends inside the trailing newline is the only valid one.
  CoinoneHarness h;
  const std::string frame = "{\n  \"response_type\": \"ERROR\",\n  \"error_code\": 160012,\n"
                            "  \"message\": \"Invalid Topic\"\n}\n";
  for (std::size_t n = 1; n < frame.size(); ++n) {
    const DecodeResult r = h.decode(std::string_view(frame.data(), n));
    if (n == frame.size() - 1) {
      EXPECT_TRUE(r.ok());  // "{...}" without the final newline is the whole frame
    } else {
      EXPECT_FALSE(r.ok()) << n;
      EXPECT_EQ(h.event().header.kind, EventKind::none);
    }
  }
}

// ---- Generated: every required field, removed or nulled ----------------------------------------

struct Required {
  std::string_view frame;
  std::string_view key;    // "\"key\":value" as it appears in the frame, with its comma
  const char* field;
};

TEST(CoinoneMalformed, EveryRequiredFieldRemovedOrNulledIsMissing) {
  const Required cases[] = {
      {kTrade, R"("quote_currency":"KRW",)", "data.quote_currency"},
      {kTrade, R"("target_currency":"XRP",)", "data.target_currency"},
      {kTrade, R"("id":"1693560450996001",)", "data.id"},
      {kTrade, R"("timestamp":1693560450996,)", "data.timestamp"},
      {kTrade, R"("price":"688.3",)", "data.price"},
      {kTrade, R"("qty":"5000",)", "data.qty"},
      {kBook, R"("quote_currency":"KRW",)", "data.quote_currency"},
      {kBook, R"("target_currency":"XRP",)", "data.target_currency"},
      {kBook, R"("id":"1693560155038001",)", "data.id"},
      {kBook, R"("asks":[{"price":"695.5","qty":"5000"}],)", "data.asks"},
      {kTicker, R"("quote_currency":"KRW",)", "data.quote_currency"},
      {kTicker, R"("target_currency":"XRP",)", "data.target_currency"},
      {kTicker, R"("timestamp":1693560360010,)", "data.timestamp"},
      {kTicker, R"("last":"687.9",)", "data.last"},
      {kOrder, R"("quote_currency":"KRW",)", "data.quote_currency"},
      {kOrder, R"("target_currency":"ETH",)", "data.target_currency"},
      {kOrder, R"("order_id":"1b48b02b-1e4d-11e9-9ec7-00e04c3600d7",)", "data.order_id"},
      {kOrder, R"("status":"trade",)", "data.status"},
      {kOrder, R"("side":"BID",)", "data.side"},
      {kAsset, R"("currency":"KRW",)", "data.assets[].currency"},
      {kAsset, R"("available":"154902734.0029",)", "data.assets[].available"},
  };
  CoinoneHarness h;
  for (const Required& c : cases) {
    SCOPED_TRACE(c.key);
    DecodeResult r = h.decode(with(c.frame, c.key, ""));
    EXPECT_EQ(r.status, DecodeStatus::missing_field);
    EXPECT_STREQ(r.field, c.field);
    EXPECT_EQ(h.event().header.kind, EventKind::none);
    const std::string_view key_only = c.key.substr(0, c.key.find(':') + 1);
    r = h.decode(with(c.frame, c.key, std::string(key_only) + "null,"));
    EXPECT_EQ(r.status, DecodeStatus::missing_field);
    EXPECT_STREQ(r.field, c.field);
    EXPECT_EQ(h.event().header.kind, EventKind::none);
  }
}

TEST(CoinoneMalformed, NullOptionalFieldsAreAbsentNotErrors) {
  // "null == absent" holds for optional fields of every type, including the text ones.
  CoinoneHarness h;
  const std::pair<std::string_view, std::string> cases[] = {
      {"order type", with(kOrder, R"("LIMIT")", "null")},
      {"order is_maker", with(kOrder, R"("is_maker":false)", R"("is_maker":null)")},
      {"order trade_id", with(kOrder, R"("1e9c062e-1e4d-11e9-9ec7-00e04c3600d7")", "null")},
      {"asset reason", with(kAsset, R"("trade")", "null")},
      {"asset timestamp", with(kAsset, "1760937483", "null")},
      {"ERROR message", with(kError, R"("Invalid Type")", "null")},
      {"ERROR field", with(kError, R"("channel")", "null")},
      {"book timestamp", with(kBook, "1693560155038,", "null,")},
      {"ticker best ask", with(kTicker, R"("ask_best_price":"687.9")", R"("ask_best_price":null)")},
      {"ticker id", with(kTicker, R"("1693560360010001")", "null")},
      {"ticker volume", with(kTicker, R"("55904975548.1528")", "null")},
      {"CONNECTED data", R"({"response_type":"CONNECTED","data":null})"},
      {"SUBSCRIBED channel", R"({"response_type":"SUBSCRIBED","channel":null})"},
  };
  for (const auto& [name, frame] : cases) {
    const DecodeResult r = h.decode(frame);
    EXPECT_TRUE(r.ok()) << name << ": " << to_string(r.status) << " " << r.field;
  }
  ASSERT_TRUE(h.decode(with(kOrder, R"("LIMIT")", "null")).ok());
  EXPECT_EQ(h.event().order.order_type, OrderType::unknown);
  ASSERT_TRUE(h.decode(with(kAsset, R"("trade")", "null")).ok());
  EXPECT_EQ(h.event().asset.reason, AssetChangeReason::unknown);
  ASSERT_TRUE(h.decode(with(kError, R"("Invalid Type")", "null")).ok());
  EXPECT_TRUE(h.event().control.message.empty());
  EXPECT_EQ(h.event().control.field, "channel");
}

TEST(CoinoneMalformed, UnknownStatusLongerThanItsSlotIsKeptCut) {
  // venue_status is diagnostic; an order event must not be lost because the text is long.
  CoinoneHarness h;
  const std::string status(40, 's');
  ASSERT_TRUE(h.decode(with(kOrder, R"("trade",)", "\"" + status + "\",")).ok());
  EXPECT_EQ(h.event().order.type, OrderEventType::unknown);
  EXPECT_EQ(h.event().order.venue_status, status.substr(0, h.event().order.venue_status.kCapacity));
}

TEST(CoinoneMalformed, ErrorFieldLongerThanItsSlotIsKeptCut) {
  CoinoneHarness h;
  const std::string field(40, 'f');
  ASSERT_TRUE(h.decode(with(kError, R"("channel")", "\"" + field + "\"")).ok());
  EXPECT_EQ(h.event().control.field, field.substr(0, h.event().control.field.kCapacity));
}

}  // namespace
}  // namespace mde

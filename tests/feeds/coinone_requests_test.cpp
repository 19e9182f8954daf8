#include "mde/feeds/coinone/requests.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace mde::coinone {
namespace {

template <class Fn>
std::string written(Fn&& fn) {
  std::array<char, 512> buf{};
  const std::size_t n = fn(std::span<char>(buf));
  return std::string(buf.data(), n);
}

TEST(CoinoneRequests, SubscribeMatchesTheDocumentedFrames) {
  EXPECT_EQ(written([](auto b) { return write_subscribe(b, Channel::book, {"XRP", "KRW"}); }),
            R"({"request_type":"SUBSCRIBE","channel":"ORDERBOOK","topic":{"quote_currency":"KRW","target_currency":"XRP"}})");
  EXPECT_EQ(written([](auto b) {
              return write_subscribe(b, Channel::book, {"XRP", "KRW"}, WireFormat::short_format);
            }),
            R"({"request_type":"SUBSCRIBE","channel":"ORDERBOOK","topic":{"quote_currency":"KRW","target_currency":"XRP"},"format":"SHORT"})");
  EXPECT_EQ(written([](auto b) { return write_unsubscribe(b, Channel::book, {"XRP", "KRW"}); }),
            R"({"request_type":"UNSUBSCRIBE","channel":"ORDERBOOK","topic":{"quote_currency":"KRW","target_currency":"XRP"}})");
  EXPECT_EQ(written([](auto b) { return write_ping(b); }), R"({"request_type":"PING"})");
}

TEST(CoinoneRequests, MyOrderTopicIsAnArray) {
  const Market markets[] = {{"XRP", "KRW"}};
  EXPECT_EQ(written([&](auto b) { return write_subscribe_orders(b, markets); }),
            R"({"request_type":"SUBSCRIBE","channel":"MYORDER","topic":[{"quote_currency":"KRW","target_currency":"XRP"}]})");
  EXPECT_EQ(written([&](auto b) {
              return write_subscribe_orders(b, markets, WireFormat::short_format);
            }),
            R"({"request_type":"SUBSCRIBE","channel":"MYORDER","topic":[{"quote_currency":"KRW","target_currency":"XRP"}],"format":"SHORT"})");
  EXPECT_EQ(written([](auto b) { return write_subscribe_orders(b, {}); }),
            R"({"request_type":"SUBSCRIBE","channel":"MYORDER"})");
  EXPECT_EQ(written([](auto b) { return write_subscribe_assets(b); }),
            R"({"request_type":"SUBSCRIBE","channel":"MYASSET"})");
}

TEST(CoinoneRequests, TooSmallBufferWritesNothingUsable) {
  std::array<char, 20> small{};
  EXPECT_EQ(write_subscribe(small, Channel::trade, {"XRP", "KRW"}), 0u);
  std::array<char, 23> exact{};
  EXPECT_EQ(write_ping(exact), 23u);
  std::array<char, 22> short_by_one{};
  EXPECT_EQ(write_ping(short_by_one), 0u);
}

TEST(CoinoneRequests, RefusesChannelsWithoutAWireName) {
  std::array<char, 256> buf{};
  EXPECT_EQ(write_subscribe(buf, Channel::none, {"XRP", "KRW"}), 0u);
}

}  // namespace
}  // namespace mde::coinone

// CoinoneProtocol's subscription tracking without sockets: every SUBSCRIBE awaited in send order
// until its SUBSCRIBED, refused by ERROR 160010/160011 (oldest first), or failed at its deadline.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "venue_protocol.hpp"

namespace mde::live {
namespace {

using namespace std::chrono_literals;
constexpr auto kShort = coinone::WireFormat::short_format;

constexpr std::string_view kAckXrpBook =
    R"({"response_type":"SUBSCRIBED","channel":"ORDERBOOK","data":{"quote_currency":"KRW","target_currency":"XRP"}})";
constexpr std::string_view kAckBtcTrade =
    R"({"response_type":"SUBSCRIBED","channel":"TRADE","data":{"quote_currency":"KRW","target_currency":"BTC"}})";

SessionOptions public_options() {
  SessionOptions o;
  o.venue = Venue::coinone;
  o.subscriptions = {{Channel::book, "XRP", "KRW", kShort}, {Channel::trade, "BTC", "KRW", {}}};
  o.timers.subscribe_ack_timeout = 1000ms;
  return o;
}

class CoinoneReplies : public ::testing::Test {
 protected:
  void connect(const SessionOptions& o) {
    protocol_ = make_venue_protocol(o);
    sent_.clear();
    protocol_->subscribe_requests(sent_);
  }
  std::vector<FailedTopic> reply(std::string_view frame) {
    std::vector<FailedTopic> failed;
    protocol_->on_reply(frame, failed);
    return failed;
  }
  std::vector<FailedTopic> time_passes(std::chrono::milliseconds d) {
    std::vector<FailedTopic> failed;
    protocol_->on_reply_timeout(VenueProtocol::Clock::now() + d, failed);
    return failed;
  }

  std::unique_ptr<VenueProtocol> protocol_;
  std::vector<std::string> sent_;
};

TEST_F(CoinoneReplies, EverySubscribeIsAwaitedUntilItsOwnSubscribedArrives) {
  connect(public_options());
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_TRUE(protocol_->awaiting_replies());
  EXPECT_TRUE(reply(kAckBtcTrade).empty());  // answers the second request, not the oldest
  EXPECT_TRUE(protocol_->awaiting_replies());
  EXPECT_TRUE(reply(kAckBtcTrade).empty());  // a repeat answers nothing more
  EXPECT_TRUE(protocol_->awaiting_replies());
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  EXPECT_FALSE(protocol_->awaiting_replies());  // per-frame cost back to zero
  EXPECT_TRUE(time_passes(5000ms).empty());
}

TEST_F(CoinoneReplies, PongConnectedAndDataFramesLeaveTheTrackingAlone) {
  connect(public_options());
  for (std::string_view f : {
           std::string_view(R"({"response_type":"PONG"})"),
           std::string_view(R"({"response_type":"CONNECTED","data":{"session_id":"x"}})"),
           std::string_view(R"({"r":"DATA","c":"ORDERBOOK","d":{"qc":"KRW","tc":"XRP"}})"),
           std::string_view(
               R"({"response_type":"DATA","channel":"TRADE","data":{"quote_currency":"KRW"}})"),
           std::string_view("not json"),
       }) {
    EXPECT_TRUE(reply(f).empty()) << f;
  }
  EXPECT_TRUE(protocol_->awaiting_replies());
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  EXPECT_TRUE(reply(kAckBtcTrade).empty());
  EXPECT_FALSE(protocol_->awaiting_replies());
}

TEST_F(CoinoneReplies, A160011RefusesTheOldestAwaitedSubscribeAndNamesCodeAndField) {
  connect(public_options());
  const auto failed = reply(
      R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"channel"})");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].channel, Channel::book);
  EXPECT_EQ(failed[0].market, "XRP-KRW");
  EXPECT_EQ(failed[0].topic, "XRP-KRW");
  EXPECT_TRUE(failed[0].reported_by_venue);  // the ERROR frame itself reaches the engine
  EXPECT_NE(failed[0].why.find("160011"), std::string::npos) << failed[0].why;
  EXPECT_NE(failed[0].why.find("channel"), std::string::npos) << failed[0].why;
  const auto second = reply(R"({"response_type":"ERROR","error_code":160010,"message":"Invalid Request"})");
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].channel, Channel::trade);
  EXPECT_EQ(second[0].topic, "BTC-KRW");
  EXPECT_NE(second[0].why.find("160010"), std::string::npos) << second[0].why;
  EXPECT_FALSE(protocol_->awaiting_replies());
}

TEST_F(CoinoneReplies, A160012IsLeftToTheAckThatCameBeforeIt) {
  connect(public_options());
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  EXPECT_TRUE(
      reply(R"({"response_type":"ERROR","error_code":160012,"message":"Invalid Topic"})").empty());
  EXPECT_TRUE(protocol_->awaiting_replies());  // the trade subscription still awaits its ack
  EXPECT_TRUE(reply(kAckBtcTrade).empty());
  EXPECT_FALSE(protocol_->awaiting_replies());
}

TEST_F(CoinoneReplies, ASubscribeNotAnsweredByItsDeadlineFailsThen) {
  connect(public_options());
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  EXPECT_TRUE(time_passes(500ms).empty());  // before the deadline
  EXPECT_TRUE(protocol_->awaiting_replies());
  const auto failed = time_passes(1001ms);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].topic, "BTC-KRW");
  EXPECT_FALSE(failed[0].reported_by_venue);  // nothing reached the engine: the session reports it
  EXPECT_NE(failed[0].why.find("subscribe_ack_timeout"), std::string::npos);
  EXPECT_FALSE(protocol_->awaiting_replies());
}

TEST_F(CoinoneReplies, PrivateAcksEchoTheMyorderArrayAndMyassetHasNone) {
  SessionOptions o;
  o.venue = Venue::coinone;
  o.credentials = {coinone::Secret(std::string("access")), coinone::Secret(std::string("secret"))};
  o.private_subscriptions = {{Channel::orders, {"XRP", "BTC"}, "KRW", kShort},
                             {Channel::assets, {}, "KRW", {}},
                             {Channel::orders, {}, "KRW", {}}};
  o.timers.subscribe_ack_timeout = 1000ms;
  connect(o);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_TRUE(reply(R"({"response_type":"SUBSCRIBED","channel":"MYASSET"})").empty());
  // A MYORDER ack of another market list answers neither MYORDER request.
  EXPECT_TRUE(reply(R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[{"quote_currency":"KRW","target_currency":"XRP"}]})").empty());
  EXPECT_TRUE(reply(R"({"response_type":"SUBSCRIBED","channel":"MYORDER","data":[{"quote_currency":"KRW","target_currency":"XRP"},{"quote_currency":"KRW","target_currency":"BTC"}]})").empty());
  EXPECT_TRUE(protocol_->awaiting_replies());
  const auto failed = time_passes(2000ms);
  ASSERT_EQ(failed.size(), 1u);  // MYORDER of every market
  EXPECT_EQ(failed[0].channel, Channel::orders);
  EXPECT_EQ(failed[0].topic, "");
}

TEST_F(CoinoneReplies, AMyorderOfTwoMarketsIsNamedByItsFirstPlusTheCount) {
  SessionOptions o;
  o.venue = Venue::coinone;
  o.credentials = {coinone::Secret(std::string("access")), coinone::Secret(std::string("secret"))};
  o.private_subscriptions = {{Channel::orders, {"XRP", "BTC"}, "KRW", kShort}};
  connect(o);
  const auto failed =
      reply(R"({"response_type":"ERROR","error_code":160011,"message":"Invalid Type","field":"format"})");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].channel, Channel::orders);
  EXPECT_EQ(failed[0].market, "XRP-KRW");
  EXPECT_EQ(failed[0].topic, "XRP-KRW+1");
}

// Acks as a server other than our simulator wrote them (keys in another order, unknown keys at
// every level, tabs and runs of spaces between tokens): each still answers its SUBSCRIBE, so no
// healthy subscription is reported as failed at its deadline.
TEST_F(CoinoneReplies, AnAckAnswersItsSubscribeWhateverItsKeyOrderSpacingOrExtraKeys) {
  SessionOptions o;
  o.venue = Venue::coinone;
  o.credentials = {coinone::Secret(std::string("access")), coinone::Secret(std::string("secret"))};
  o.subscriptions = {{Channel::book, "XRP", "KRW", {}}, {Channel::trade, "XRP", "KRW", {}}};
  o.private_subscriptions = {{Channel::orders, {"XRP"}, "KRW", {}}, {Channel::assets, {}, "KRW", {}}};
  o.timers.subscribe_ack_timeout = 1000ms;
  connect(o);
  ASSERT_EQ(sent_.size(), 4u);
  std::ifstream in(MDE_TEST_DATA_DIR "/coinone_acks_reshaped.jsonl");
  std::size_t acks = 0;
  for (std::string line; std::getline(in, line); ++acks) {
    EXPECT_TRUE(reply(line).empty()) << line;
  }
  ASSERT_EQ(acks, 4u);
  EXPECT_FALSE(protocol_->awaiting_replies());
  EXPECT_TRUE(time_passes(5000ms).empty());
}

// An ack may echo an empty topic object for a subscription without markets (MYASSET): it still
// answers that subscription (its key once had a trailing space and never matched).
TEST_F(CoinoneReplies, AnAckWithAnEmptyTopicObjectAnswersASubscriptionWithoutMarkets) {
  SessionOptions o;
  o.venue = Venue::coinone;
  o.credentials = {coinone::Secret(std::string("access")), coinone::Secret(std::string("secret"))};
  o.private_subscriptions = {{Channel::assets, {}, "KRW", {}}};
  o.timers.subscribe_ack_timeout = 1000ms;
  connect(o);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_TRUE(reply(R"({"response_type":"SUBSCRIBED","channel":"MYASSET","data":{}})").empty());
  EXPECT_FALSE(protocol_->awaiting_replies());
  EXPECT_TRUE(time_passes(5000ms).empty());
}

TEST_F(CoinoneReplies, ANewConnectionForgetsWhatTheOldOneAwaited) {
  connect(public_options());
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  sent_.clear();
  protocol_->subscribe_requests(sent_);  // reconnected: both sent again
  EXPECT_TRUE(reply(kAckXrpBook).empty());
  EXPECT_TRUE(reply(kAckBtcTrade).empty());
  EXPECT_FALSE(protocol_->awaiting_replies());  // nothing of the old connection is left
}

}  // namespace
}  // namespace mde::live

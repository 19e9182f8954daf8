// The TOML live configuration: what a file turns into, and the errors a wrong file gets.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "mde/runtime/live_config.hpp"

namespace mde {
namespace {

constexpr std::string_view kConfig = R"(
[runtime]
io_cpus = [0, -1]
core_cpu = 1
queue_capacity = 8192
busy_spin = true
record = "live.mdecap"

[tls]
ca_file = "/tmp/sim/ca.pem"
tls13 = true

[timers]
ping_interval_ms = 20000
silence_timeout_ms = 5000
close_timeout_ms = 250

[[session]]
name = "coinone-public"
venue = "coinone"
url = "wss://127.0.0.1:4443/"
format = "SHORT"
subscribe = ["ORDERBOOK:XRP-KRW", "TRADE:btc", "TICKER:ETH-KRW"]

[[session]]
venue = "coinone"
url = "wss://stream.coinone.co.kr/"
subscribe = ["ORDERBOOK:BTC-KRW"]
io_thread = 1
[session.timers]
ping_interval_ms = 15000
)";

EnvLookup no_environment() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

std::string error_of(std::string_view text, EnvLookup env = no_environment()) {
  try {
    (void)parse_live_config(text, "test.toml", env);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LiveConfig, AFileDescribesRuntimeTlsTimersAndEverySession) {
  const LiveConfig c = parse_live_config(kConfig, "test.toml", no_environment());
  EXPECT_EQ(c.run.io_cpus, (std::vector<int>{0, -1}));
  EXPECT_EQ(c.run.core_cpu, 1);
  EXPECT_EQ(c.run.queue_capacity, 8192u);
  EXPECT_TRUE(c.run.busy_spin);
  EXPECT_EQ(c.record_path, "live.mdecap");
  ASSERT_EQ(c.sessions.size(), 2u);

  const live::SessionOptions& a = c.sessions[0].options;
  EXPECT_EQ(c.sessions[0].name, "coinone-public");
  EXPECT_EQ(a.venue, Venue::coinone);
  EXPECT_EQ(a.endpoint.host, "127.0.0.1");
  EXPECT_EQ(a.endpoint.port, "4443");
  EXPECT_EQ(a.endpoint.target, "/");
  EXPECT_EQ(a.tls.ca_file, "/tmp/sim/ca.pem");
  EXPECT_FALSE(a.tls.insecure_skip_verify);
  EXPECT_TRUE(a.tls.tls13);
  EXPECT_EQ(a.timers.silence_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(a.timers.close_timeout, std::chrono::milliseconds(250));
  ASSERT_EQ(a.subscriptions.size(), 3u);
  EXPECT_EQ(a.subscriptions[0].channel, Channel::book);
  EXPECT_EQ(a.subscriptions[0].target, "XRP");
  EXPECT_EQ(a.subscriptions[0].quote, "KRW");
  EXPECT_EQ(a.subscriptions[0].format, coinone::WireFormat::short_format);
  EXPECT_EQ(a.subscriptions[1].channel, Channel::trade);
  EXPECT_EQ(a.subscriptions[1].target, "BTC");  // upper-cased; quote defaults to KRW
  EXPECT_EQ(a.subscriptions[1].quote, "KRW");
  EXPECT_EQ(a.subscriptions[2].channel, Channel::ticker);

  const live::SessionOptions& b = c.sessions[1].options;
  EXPECT_EQ(c.sessions[1].name, "coinone-1");
  EXPECT_EQ(b.endpoint.port, "443");
  EXPECT_EQ(c.sessions[0].io_thread, 0u);
  EXPECT_EQ(c.sessions[1].io_thread, 1u);
  EXPECT_EQ(b.subscriptions[0].format, coinone::WireFormat::default_format);
  EXPECT_EQ(b.timers.ping_interval, std::chrono::milliseconds(15000));  // its own override
  EXPECT_EQ(b.timers.silence_timeout, std::chrono::milliseconds(5000));  // the file's default
}

TEST(LiveConfig, AnUnknownKeyIsAnErrorNamingFileLineAndKey) {
  const std::string e = error_of("[runtime]\ncore_cpu = 0\nqueue_capacty = 4096\n"
                                 "[[session]]\nvenue='coinone'\nurl='wss://h/'\nsubscribe=['TRADE:XRP']\n");
  EXPECT_NE(e.find("test.toml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("runtime.queue_capacty"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
}

TEST(LiveConfig, ValuesOutOfRangeOrOfTheWrongTypeAreRefused) {
  const std::string session = "[[session]]\nvenue='coinone'\nurl='wss://h/'\nsubscribe=['TRADE:XRP']\n";
  EXPECT_NE(error_of("[runtime]\nqueue_capacity = 1000\n" + session).find("power of two"),
            std::string::npos);
  EXPECT_NE(error_of("[timers]\nping_interval_ms = 'often'\n" + session).find("must be an integer"),
            std::string::npos);
  EXPECT_NE(error_of("[runtime]\nbusy_spin = 1\n" + session).find("true or false"),
            std::string::npos);
  EXPECT_NE(error_of(session + "io_thread = 1\n").find("between 0 and 0"), std::string::npos);
  EXPECT_NE(error_of("[[session]]\nvenue='coinone'\nurl='https://h/'\nsubscribe=['TRADE:XRP']\n")
                .find("wss://"),
            std::string::npos);
  EXPECT_NE(error_of("[[session]]\nvenue='coinone'\nurl='wss://h/'\nsubscribe=['ORDERBOK:XRP']\n")
                .find("unknown Coinone channel 'ORDERBOK'"),
            std::string::npos);
  EXPECT_NE(error_of("[[session]]\nvenue='kraken'\nurl='wss://h/'\nsubscribe=['TRADE:XRP']\n")
                .find("unknown venue"),
            std::string::npos);
  EXPECT_NE(error_of("").find("[[session]]"), std::string::npos);
  EXPECT_NE(error_of("[[session]\n").find("test.toml:1:"), std::string::npos);  // TOML syntax
}

TEST(LiveConfig, ASecretWrittenIntoTheFileIsRefusedWithoutBeingQuoted) {
  const std::string e = error_of(
      "[[session]]\nvenue='coinone'\nurl='wss://h/v1/private'\nsubscribe=['TRADE:XRP']\n"
      "secret = 'hunter2-very-secret'\n");
  EXPECT_NE(e.find("secrets are never read from the config file"), std::string::npos) << e;
  EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
}

TEST(LiveConfig, AMissingCredentialVariableIsNamedButNoValueIsEverShown) {
  const std::string e = error_of(
      "[[session]]\nvenue='coinone'\nurl='wss://h/v1/private'\nsubscribe=['TRADE:XRP']\n"
      "access_token_env = 'MDE_TEST_ACCESS'\nsecret_env = 'MDE_TEST_SECRET'\n",
      [](const std::string& name) -> std::optional<std::string> {
        if (name == "MDE_TEST_ACCESS") return std::string("access-value-123");
        return std::nullopt;
      });
  EXPECT_NE(e.find("MDE_TEST_SECRET is not set"), std::string::npos) << e;
  EXPECT_EQ(e.find("access-value-123"), std::string::npos) << e;
}

TEST(LiveConfig, BtseAndCoinonePrivateSessionsTakeTheirSubscriptionsAndCredentials) {
  const LiveConfig c = parse_live_config(R"(
[[session]]
venue = "btse"
url = "wss://ws.btse.com/ws/oss/spot"
subscribe = ["update:BTC-USD_0", "update:eth-usd"]
[[session]]
venue = "btse"
url = "wss://ws.btse.com/ws/spot"
subscribe = ["tradeHistoryApi:BTC-USD"]
[[session]]
venue = "coinone"
url = "wss://stream.coinone.co.kr/v1/private"
format = "SHORT"
subscribe = ["MYORDER:XRP-KRW", "MYORDER", "MYASSET"]
access_token_env = "MDE_TEST_ACCESS"
secret_env = "MDE_TEST_SECRET"
)",
                                         "test.toml", [](const std::string& name) {
                                           return std::optional<std::string>("value-of-" + name);
                                         });
  ASSERT_EQ(c.sessions.size(), 3u);
  const auto& book = c.sessions[0].options.btse_subscriptions;
  ASSERT_EQ(book.size(), 2u);
  EXPECT_EQ(book[0].channel, Channel::book);
  EXPECT_EQ(book[0].market, "BTC-USD");
  EXPECT_EQ(book[1].market, "ETH-USD");
  EXPECT_EQ(c.sessions[1].options.btse_subscriptions[0].channel, Channel::trade);
  const live::SessionOptions& p = c.sessions[2].options;
  ASSERT_EQ(p.private_subscriptions.size(), 3u);
  EXPECT_EQ(p.private_subscriptions[0].channel, Channel::orders);
  EXPECT_EQ(p.private_subscriptions[0].targets, (std::vector<std::string>{"XRP"}));
  EXPECT_TRUE(p.private_subscriptions[1].targets.empty());  // every market
  EXPECT_EQ(p.private_subscriptions[2].channel, Channel::assets);
  EXPECT_EQ(p.private_subscriptions[2].format, coinone::WireFormat::short_format);
  EXPECT_FALSE(p.credentials.empty());
  EXPECT_NE(error_of("[[session]]\nvenue='coinone'\nurl='wss://h/v1/private'\nsubscribe=['MYASSET']\n")
                .find("need credentials"),
            std::string::npos);
}

}  // namespace
}  // namespace mde

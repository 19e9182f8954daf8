// Coinone on a live connection (protocols.md A1, A5, A7): one SUBSCRIBE per public subscription
// and per private one (MYORDER with its markets as a topic array, none for all markets; MYASSET
// with no topic), the JSON PING keepalive, and for private connections the signed upgrade headers
// (A7.2) with a fresh nonce and timestamp on every connect. Book frames are whole snapshots, so a
// resync needs no request. ERROR 160012 right after a SUBSCRIBED ack says that subscription's
// market is unknown (ErrorAttributingSink names it: it is not tracked here).
//
// Subscriptions in flight: every SUBSCRIBE is awaited, in send order, until its SUBSCRIBED (which
// echoes the channel and the topic's markets, with long keys even for SHORT) or until
// subscribe_ack_timeout. ERROR 160010/160011 name no topic, but the venue answers requests in
// order, so they refuse the OLDEST awaited SUBSCRIBE. Refused and unanswered subscriptions are
// reported as FailedTopic (channel, market, topic "XRP-KRW", "XRP-KRW+1" for a MYORDER of two
// markets, "" for MYASSET or MYORDER of every market). Only small control frames are parsed: a
// data frame ({"r":... in SHORT, {"response_type":"DATA"... in DEFAULT) is skipped on its prefix.
#include <simdjson.h>

#include <deque>
#include <stdexcept>

#include "mde/feeds/coinone/auth.hpp"
#include "mde/feeds/coinone/requests.hpp"
#include "venue_protocol.hpp"

namespace mde::live {
namespace {

constexpr std::string_view kNoAck = "no SUBSCRIBED within subscribe_ack_timeout";
constexpr std::int64_t kInvalidRequest = 160010;  // the request could not be read
constexpr std::int64_t kInvalidType = 160011;     // a field had a bad value (`field` names it)
constexpr std::size_t kMaxControlBytes = 64 * 1024;

[[nodiscard]] bool is_data_frame(std::string_view frame) noexcept {
  return frame.starts_with(R"({"r":)") || frame.starts_with(R"({"response_type":"DATA")");
}

// A market as the decoder names it: "XRP" + "KRW" -> "XRP-KRW", upper case.
std::string market_name(simdjson::dom::element topic) {
  std::string_view target, quote;
  if (topic["target_currency"].get(target) != simdjson::SUCCESS ||
      topic["quote_currency"].get(quote) != simdjson::SUCCESS) {
    return {};
  }
  std::string name;
  for (char c : target) name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  name += '-';
  for (char c : quote) name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
  return name;
}

// What identifies a subscription in both its request and its ack: the channel and the markets
// of the topic ({...}, [{...},...] or none), e.g. `ORDERBOOK XRP-KRW`, `MYORDER XRP-KRW BTC-KRW`.
// Read by key, never compared as text: the venue's JSON may order its keys differently, add keys,
// space its tokens or echo lower case (A1.2), and the ack still answers the request.
std::string echo_key(simdjson::dom::element frame, std::string_view topic_key) {
  std::string_view channel;
  if (frame["channel"].get(channel) != simdjson::SUCCESS) return {};
  std::string key(channel);
  simdjson::dom::element topic;
  if (frame[topic_key].get(topic) != simdjson::SUCCESS) return key;
  // An element without a market (`{}`, as an ack may echo for MYASSET) adds nothing.
  const auto add_market = [&key](simdjson::dom::element market) {
    if (const std::string name = market_name(market); !name.empty()) key.append(1, ' ').append(name);
  };
  if (simdjson::dom::array list; topic.get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element market : list) add_market(market);
  } else if (topic.is_object()) {
    add_market(topic);
  }
  return key;
}

class CoinoneProtocol final : public VenueProtocol {
 public:
  explicit CoinoneProtocol(const SessionOptions& options)
      : credentials_(options.credentials), ack_timeout_(options.timers.subscribe_ack_timeout) {
    char buf[4096];
    for (const CoinoneSubscription& s : options.subscriptions) {
      const std::size_t n =
          coinone::write_subscribe(buf, s.channel, {s.target, s.quote}, s.format);
      if (n == 0) throw std::runtime_error("live session: cannot write subscription " + s.target);
      add(std::string(buf, n), s.channel);
    }
    for (const CoinonePrivateSubscription& s : options.private_subscriptions) {
      add(private_request(s, buf), s.channel);
    }
    // Said without the credentials themselves: an error message must never carry them.
    if (!options.private_subscriptions.empty() && credentials_.empty()) {
      throw std::runtime_error("live session: Coinone private subscriptions need credentials");
    }
    ping_.assign(buf, coinone::write_ping(buf));
  }

  void upgrade_headers(HeaderList& out) override {
    if (credentials_.empty()) return;
    coinone::AuthHeaders h = coinone::sign_now(credentials_);
    out.emplace_back(coinone::kPayloadHeader, std::move(h.payload));
    out.emplace_back(coinone::kSignatureHeader, std::move(h.signature));
  }
  void subscribe_requests(std::vector<std::string>& out) override {
    pending_.clear();  // a new connection: what the old one awaited will never come
    const Clock::time_point deadline = Clock::now() + ack_timeout_;
    for (std::size_t i = 0; i < subscriptions_.size(); ++i) {
      out.push_back(subscriptions_[i].request);
      pending_.push_back({i, deadline});
    }
    update_awaiting();
  }
  [[nodiscard]] const std::string& ping_request() const override { return ping_; }
  [[nodiscard]] std::int64_t ack_error_code() const override { return 160012; }

  void on_reply(std::string_view frame, std::vector<FailedTopic>& failed) override {
    if (is_data_frame(frame) || frame.size() > kMaxControlBytes) return;
    simdjson::dom::element root;
    std::string_view type;
    if (parser_.parse(frame.data(), frame.size()).get(root) != simdjson::SUCCESS ||
        root["response_type"].get(type) != simdjson::SUCCESS) {
      return;
    }
    if (type == "SUBSCRIBED") {
      on_ack(echo_key(root, "data"));
    } else if (std::int64_t code = 0; type == "ERROR" &&
                                      root["error_code"].get(code) == simdjson::SUCCESS &&
                                      (code == kInvalidRequest || code == kInvalidType) &&
                                      !pending_.empty()) {
      // 160012 is not ours: it follows a SUBSCRIBED that already answered its request.
      std::string_view field;
      if (root["field"].get(field) != simdjson::SUCCESS) field = {};
      std::string why("ERROR ");  // appended piecewise: GCC 12 -Wrestrict misfires on `+`
      why.append(std::to_string(code));
      if (!field.empty()) why.append(" (field ").append(field).append(")");
      why += ": the venue refused the SUBSCRIBE";
      fail(pending_.front().index, std::move(why), true, failed);
      pending_.pop_front();
    }
    update_awaiting();
  }

  void on_reply_timeout(Clock::time_point now, std::vector<FailedTopic>& failed) override {
    while (!pending_.empty() && pending_.front().deadline <= now) {
      fail(pending_.front().index, std::string(kNoAck), false, failed);
      pending_.pop_front();
    }
    update_awaiting();
  }

 private:
  // One SUBSCRIBE as sent and how its failure is named.
  struct Subscription {
    std::string request;
    std::string echo;    // echo_key of the request: its SUBSCRIBED has the same
    std::string topic;   // "XRP-KRW", "XRP-KRW+1", "" (MYASSET, MYORDER of every market)
    std::string market;  // the first market, "" when none
    Channel channel = Channel::none;
  };
  struct Pending {
    std::size_t index;  // into subscriptions_
    Clock::time_point deadline;
  };

  void add(std::string request, Channel channel) {
    Subscription s;
    s.request = std::move(request);
    s.channel = channel;
    simdjson::dom::element root;
    if (parser_.parse(s.request).get(root) != simdjson::SUCCESS) {
      throw std::runtime_error("live session: cannot read back a Coinone subscription");
    }
    s.echo = echo_key(root, "topic");
    std::size_t markets = 0;
    if (simdjson::dom::element topic; root["topic"].get(topic) == simdjson::SUCCESS) {
      if (simdjson::dom::array list; topic.get(list) == simdjson::SUCCESS) {
        markets = list.size();
        if (markets != 0) s.market = market_name(list.at(0).value_unsafe());
      } else if (topic.is_object()) {
        s.market = market_name(topic);
        markets = 1;
      }
    }
    s.topic = s.market;
    if (markets > 1) s.topic.append(1, '+').append(std::to_string(markets - 1));
    subscriptions_.push_back(std::move(s));
  }

  void update_awaiting() {
    awaiting_replies_ = !pending_.empty();
    if (awaiting_replies_) reply_deadline_ = pending_.front().deadline;  // deadlines only grow
  }

  // The oldest awaited SUBSCRIBE with this channel and topic; an ack for nothing awaited (a raw
  // request, a repeat) changes nothing.
  void on_ack(const std::string& key) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
      if (subscriptions_[it->index].echo != key) continue;
      pending_.erase(it);
      return;
    }
  }

  void fail(std::size_t index, std::string why, bool by_venue, std::vector<FailedTopic>& failed) {
    const Subscription& s = subscriptions_[index];
    failed.push_back({.topic = s.topic, .market = s.market, .channel = s.channel,
                      .reported_by_venue = by_venue, .why = std::move(why)});
  }

  static std::string private_request(const CoinonePrivateSubscription& s, std::span<char> buf) {
    std::size_t n = 0;
    if (s.channel == Channel::orders) {
      std::vector<coinone::Market> markets;
      for (const std::string& t : s.targets) markets.push_back({t, s.quote});
      n = coinone::write_subscribe_orders(buf, markets, s.format);
    } else if (s.channel == Channel::assets) {
      n = coinone::write_subscribe_assets(buf, s.format);
    } else {
      throw std::runtime_error("live session: a Coinone private subscription is MYORDER or MYASSET");
    }
    if (n == 0) throw std::runtime_error("live session: cannot write a MYORDER subscription");
    return std::string(buf.data(), n);
  }

  coinone::Credentials credentials_;
  std::chrono::milliseconds ack_timeout_;
  std::vector<Subscription> subscriptions_;  // in send order
  std::deque<Pending> pending_;              // awaited SUBSCRIBEs, oldest first
  simdjson::dom::parser parser_;
  std::string ping_;
};

}  // namespace

std::unique_ptr<VenueProtocol> make_coinone_protocol(const SessionOptions& options) {
  return std::make_unique<CoinoneProtocol>(options);
}

}  // namespace mde::live

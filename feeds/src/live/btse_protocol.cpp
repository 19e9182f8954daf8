// BTSE spot on a live connection (protocols.md B2-B4, B6): one subscribe request carrying every
// topic of the session (books `update:SYM_0` on an OSS session, trades `tradeHistoryApi:SYM` on a
// main one), the plain-text `ping` keepalive every 15 s, and a resync as the documented
// unsubscribe + subscribe of the book topic (the venue answers with a fresh snapshot and the
// seqNum chain carries on).
//
// Subscriptions in flight: the ack lists only the topics that succeeded, so every subscribe
// request is remembered (its topics and a deadline) until its ack comes. Topics an error frame
// names, topics the ack leaves out, and requests whose ack never comes are reported as failed.
// Acks are matched to requests by the topics they list (an empty ack answers the oldest request).
// Only small control frames are parsed: a frame whose opening key is `topic` is data.
#include <simdjson.h>

#include <algorithm>
#include <deque>
#include <stdexcept>

#include "venue_protocol.hpp"

namespace mde::live {
namespace {

constexpr std::string_view kNotInAck = "the venue's subscribe ack left the topic out";
constexpr std::string_view kNoAck = "no subscribe ack within subscribe_ack_timeout";
constexpr std::string_view kRefused = "the venue refused the topic";

std::string book_topic(std::string_view market) { return "update:" + std::string(market) + "_0"; }

std::string request(std::string_view op, const std::vector<std::string>& topics) {
  std::string r = R"({"op":")" + std::string(op) + R"(","args":[)";
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i != 0) r += ',';
    r += '"' + topics[i] + '"';
  }
  return r + "]}";
}

class BtseProtocol final : public VenueProtocol {
 public:
  explicit BtseProtocol(const SessionOptions& options)
      : ack_timeout_(options.timers.subscribe_ack_timeout) {
    for (const BtseSubscription& s : options.btse_subscriptions) {
      const bool printable = !s.market.empty() && s.market.size() <= 32 &&
                             std::all_of(s.market.begin(), s.market.end(), [](char c) {
                               return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
                             });
      if (!printable || (s.channel != Channel::book && s.channel != Channel::trade)) {
        throw std::runtime_error("live session: cannot write BTSE subscription " + s.market);
      }
      topics_.push_back(s.channel == Channel::book ? book_topic(s.market)
                                                   : "tradeHistoryApi:" + s.market);
      subscriptions_.push_back(s);
    }
  }

  void subscribe_requests(std::vector<std::string>& out) override {
    pending_.clear();  // a new connection: what the old one awaited will never come
    if (topics_.empty()) return update_awaiting();
    out.push_back(request("subscribe", topics_));
    await(topics_);
  }

  [[nodiscard]] const std::string& ping_request() const override { return ping_; }
  // 4280 (bad credentials: stop) and 4290 (too many connections: back off long) are Coinone's
  // codes (protocols.md A1); BTSE documents no close that retrying cannot fix (B2), so a
  // market-data session is never given up on a code of another venue's.
  [[nodiscard]] CloseAction on_close(std::uint16_t) const override { return CloseAction::reconnect; }
  [[nodiscard]] std::chrono::milliseconds default_ping_interval() const override {
    return std::chrono::milliseconds(15'000);
  }

  void resync_requests(std::string_view market, std::vector<std::string>& out) override {
    const bool subscribed =
        std::any_of(subscriptions_.begin(), subscriptions_.end(), [&](const BtseSubscription& s) {
          return s.channel == Channel::book && s.market == market;
        });
    if (!subscribed) return;
    const std::vector<std::string> topic{book_topic(market)};
    out.push_back(request("unsubscribe", topic));
    out.push_back(request("subscribe", topic));
    await(topic);
  }

  void on_reply(std::string_view frame, std::vector<FailedTopic>& failed) override {
    if (frame.starts_with(R"({"topic")") || frame.size() > kMaxControlBytes) return;  // data
    simdjson::dom::element root;
    if (parser_.parse(frame.data(), frame.size()).get(root) != simdjson::SUCCESS) return;
    std::string_view event;
    simdjson::dom::array list;
    if (root["event"].get(event) == simdjson::SUCCESS && event == "subscribe" &&
        root["channel"].get(list) == simdjson::SUCCESS) {
      on_ack(list, failed);
    } else if (root["errors"].get(list) == simdjson::SUCCESS) {
      on_errors(list, failed);
    }
    update_awaiting();
  }

  void on_reply_timeout(Clock::time_point now, std::vector<FailedTopic>& failed) override {
    while (!pending_.empty() && pending_.front().deadline <= now) {
      for (const std::string& t : pending_.front().topics) fail(t, kNoAck, false, failed);
      pending_.pop_front();
    }
    update_awaiting();
  }

 private:
  static constexpr std::size_t kMaxControlBytes = 64 * 1024;

  struct Pending {
    std::vector<std::string> topics;  // not yet acked or refused
    Clock::time_point deadline;
  };

  void await(const std::vector<std::string>& topics) {
    pending_.push_back({topics, Clock::now() + ack_timeout_});
    update_awaiting();
  }

  void update_awaiting() {
    awaiting_replies_ = !pending_.empty();
    if (awaiting_replies_) reply_deadline_ = pending_.front().deadline;  // deadlines only grow
  }

  // The request the ack answers: the oldest one holding a listed topic (the oldest one at all
  // for an empty ack). Its topics the ack does not list failed.
  void on_ack(simdjson::dom::array listed, std::vector<FailedTopic>& failed) {
    if (pending_.empty()) return;
    auto answered = pending_.begin();
    if (listed.size() != 0) {
      answered = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
        for (simdjson::dom::element e : listed) {
          std::string_view t;
          if (e.get(t) == simdjson::SUCCESS &&
              std::find(p.topics.begin(), p.topics.end(), t) != p.topics.end()) {
            return true;
          }
        }
        return false;
      });
      if (answered == pending_.end()) return;  // an ack for nothing we await (a duplicate)
    }
    for (const std::string& t : answered->topics) {
      bool acked = false;
      for (simdjson::dom::element e : listed) {
        std::string_view s;
        acked = acked || (e.get(s) == simdjson::SUCCESS && s == t);
      }
      if (!acked) fail(t, kNotInAck, false, failed);
    }
    pending_.erase(answered);
  }

  // An error frame: each entry naming an awaited topic fails it (the decoder reports the error
  // itself). A request stays until its ack, even when every topic of it was refused.
  void on_errors(simdjson::dom::array errors, std::vector<FailedTopic>& failed) {
    for (simdjson::dom::element e : errors) {
      std::string_view arg;
      if (e["arg"].get(arg) != simdjson::SUCCESS) continue;
      for (Pending& p : pending_) {
        const auto it = std::find(p.topics.begin(), p.topics.end(), arg);
        if (it == p.topics.end()) continue;
        fail(*it, kRefused, true, failed);
        p.topics.erase(it);
        break;
      }
    }
  }

  static void fail(const std::string& topic, std::string_view why, bool by_venue,
                   std::vector<FailedTopic>& failed) {
    FailedTopic f;
    f.topic = topic;
    const std::size_t colon = topic.find(':');
    f.channel = topic.starts_with("update:") ? Channel::book : Channel::trade;
    f.market = topic.substr(colon + 1);
    if (f.channel == Channel::book && f.market.ends_with("_0")) f.market.resize(f.market.size() - 2);
    f.reported_by_venue = by_venue;
    f.why = why;
    failed.push_back(std::move(f));
  }

  std::chrono::milliseconds ack_timeout_;
  std::vector<BtseSubscription> subscriptions_;
  std::vector<std::string> topics_;
  std::deque<Pending> pending_;  // oldest first
  simdjson::dom::parser parser_;
  std::string ping_ = "ping";
};

}  // namespace

std::unique_ptr<VenueProtocol> make_btse_protocol(const SessionOptions& options) {
  return std::make_unique<BtseProtocol>(options);
}

}  // namespace mde::live

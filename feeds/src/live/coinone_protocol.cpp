// Coinone on a live connection (protocols.md A1, A5, A7): one SUBSCRIBE per public subscription
// and per private one (MYORDER with its markets as a topic array, none for all markets; MYASSET
// with no topic), the JSON PING keepalive, and for private connections the signed upgrade headers
// (A7.2) with a fresh nonce and timestamp on every connect. Book frames are whole snapshots, so a
// resync needs no request. ERROR 160012 right after a SUBSCRIBED ack says that subscription's
// market is unknown.
#include <stdexcept>

#include "mde/feeds/coinone/auth.hpp"
#include "mde/feeds/coinone/requests.hpp"
#include "venue_protocol.hpp"

namespace mde::live {
namespace {

class CoinoneProtocol final : public VenueProtocol {
 public:
  explicit CoinoneProtocol(const SessionOptions& options) : credentials_(options.credentials) {
    char buf[4096];
    for (const CoinoneSubscription& s : options.subscriptions) {
      const std::size_t n =
          coinone::write_subscribe(buf, s.channel, {s.target, s.quote}, s.format);
      if (n == 0) throw std::runtime_error("live session: cannot write subscription " + s.target);
      subscribe_.emplace_back(buf, n);
    }
    for (const CoinonePrivateSubscription& s : options.private_subscriptions) {
      subscribe_.push_back(private_request(s, buf));
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
    out.insert(out.end(), subscribe_.begin(), subscribe_.end());
  }
  [[nodiscard]] const std::string& ping_request() const override { return ping_; }
  [[nodiscard]] std::int64_t ack_error_code() const override { return 160012; }

 private:
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
  std::vector<std::string> subscribe_;
  std::string ping_;
};

}  // namespace

std::unique_ptr<VenueProtocol> make_coinone_protocol(const SessionOptions& options) {
  return std::make_unique<CoinoneProtocol>(options);
}

}  // namespace mde::live

// Coinone on a live connection (protocols.md A1, A5, A7): one SUBSCRIBE per public subscription,
// the JSON PING keepalive. Book frames are whole snapshots, so a resync needs no request.
#include <stdexcept>

#include "mde/feeds/coinone/requests.hpp"
#include "venue_protocol.hpp"

namespace mde::live {
namespace {

class CoinoneProtocol final : public VenueProtocol {
 public:
  explicit CoinoneProtocol(const SessionOptions& options) {
    char buf[512];
    for (const CoinoneSubscription& s : options.subscriptions) {
      const std::size_t n =
          coinone::write_subscribe(buf, s.channel, {s.target, s.quote}, s.format);
      if (n == 0) throw std::runtime_error("live session: cannot write subscription " + s.target);
      subscribe_.emplace_back(buf, n);
    }
    ping_.assign(buf, coinone::write_ping(buf));
  }

  void subscribe_requests(std::vector<std::string>& out) override {
    out.insert(out.end(), subscribe_.begin(), subscribe_.end());
  }
  [[nodiscard]] const std::string& ping_request() const override { return ping_; }

 private:
  std::vector<std::string> subscribe_;
  std::string ping_;
};

}  // namespace

std::unique_ptr<VenueProtocol> make_coinone_protocol(const SessionOptions& options) {
  return std::make_unique<CoinoneProtocol>(options);
}

}  // namespace mde::live

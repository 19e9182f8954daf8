#include "mde/feeds/coinone/requests.hpp"

#include <cstring>

namespace mde::coinone {

namespace {

// Appends to a fixed buffer; once anything does not fit, the writer is spent and size() is 0.
class BoundedWriter {
 public:
  explicit BoundedWriter(std::span<char> out) noexcept : out_(out) {}
  BoundedWriter& operator<<(std::string_view s) noexcept {
    if (ok_ && s.size() <= out_.size() - used_) {
      std::memcpy(out_.data() + used_, s.data(), s.size());
      used_ += s.size();
    } else {
      ok_ = false;
    }
    return *this;
  }
  [[nodiscard]] std::size_t size() const noexcept { return ok_ ? used_ : 0; }

 private:
  std::span<char> out_;
  std::size_t used_ = 0;
  bool ok_ = true;
};

[[nodiscard]] std::string_view wire_channel(Channel c) noexcept {
  switch (c) {
    case Channel::book: return "ORDERBOOK";
    case Channel::trade: return "TRADE";
    case Channel::ticker: return "TICKER";
    case Channel::candles: return "CHART";
    case Channel::orders: return "MYORDER";
    case Channel::assets: return "MYASSET";
    case Channel::none: break;
  }
  return "";
}

void write_topic(BoundedWriter& w, Market m) noexcept {
  w << R"({"quote_currency":")" << m.quote << R"(","target_currency":")" << m.target << "\"}";
}

void write_format(BoundedWriter& w, WireFormat f) noexcept {
  if (f == WireFormat::short_format) w << R"(,"format":"SHORT")";
}

std::size_t write_public(std::span<char> out, std::string_view request, Channel channel,
                         Market market, WireFormat format) noexcept {
  const std::string_view name = wire_channel(channel);
  if (name.empty()) return 0;
  BoundedWriter w(out);
  w << R"({"request_type":")" << request << R"(","channel":")" << name << R"(","topic":)";
  write_topic(w, market);
  write_format(w, format);
  w << "}";
  return w.size();
}

}  // namespace

std::size_t write_subscribe(std::span<char> out, Channel channel, Market market,
                            WireFormat format) noexcept {
  return write_public(out, "SUBSCRIBE", channel, market, format);
}

std::size_t write_unsubscribe(std::span<char> out, Channel channel, Market market) noexcept {
  return write_public(out, "UNSUBSCRIBE", channel, market, WireFormat::default_format);
}

std::size_t write_subscribe_orders(std::span<char> out, std::span<const Market> markets,
                                   WireFormat format) noexcept {
  BoundedWriter w(out);
  w << R"({"request_type":"SUBSCRIBE","channel":"MYORDER")";
  if (!markets.empty()) {
    w << R"(,"topic":[)";
    for (std::size_t i = 0; i < markets.size(); ++i) {
      if (i != 0) w << ",";
      write_topic(w, markets[i]);
    }
    w << "]";
  }
  write_format(w, format);
  w << "}";
  return w.size();
}

std::size_t write_subscribe_assets(std::span<char> out, WireFormat format) noexcept {
  BoundedWriter w(out);
  w << R"({"request_type":"SUBSCRIBE","channel":"MYASSET")";
  write_format(w, format);
  w << "}";
  return w.size();
}

std::size_t write_ping(std::span<char> out) noexcept {
  BoundedWriter w(out);
  w << R"({"request_type":"PING"})";
  return w.size();
}

}  // namespace mde::coinone

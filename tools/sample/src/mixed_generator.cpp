// MixedGenerator: a two-way merge by receive time with one frame of look-ahead per venue.
#include "mde/sample/mixed_generator.hpp"

#include <stdexcept>

namespace mde::sample {

MixedGenerator::MixedGenerator(const GenOptions& coinone, const BtseGenOptions& btse)
    : coinone_(coinone), btse_(btse) {
  for (const std::uint32_t c : {btse.book_connection, btse.trade_connection}) {
    if (c == kPublicConnection || c == kPrivateConnection) {
      throw std::invalid_argument("MixedGenerator: BTSE connection ids overlap Coinone's");
    }
  }
}

GenFrame MixedGenerator::next() {
  // Only the venue whose frame went out last is advanced, so the other's text stays valid.
  if (!have_[0]) head_[0] = coinone_.next();
  if (!have_[1]) head_[1] = btse_.next();
  have_[0] = have_[1] = true;
  const int pick = head_[1].receive_ns < head_[0].receive_ns ? 1 : 0;
  have_[pick] = false;
  GenFrame f = head_[pick];
  if (f.receive_ns <= last_ns_) f.receive_ns = last_ns_ + 1;
  last_ns_ = f.receive_ns;
  return f;
}

}  // namespace mde::sample

// Links mde::mde and decodes one Coinone trade frame into an mde::Event through the registry
// (core) and the decoder (feeds); prints it, exits non-zero if anything is off.
#include <mde/mde.hpp>

#include <cstdio>
#include <string>

int main() {
  mde::InstrumentRegistry registry;
  mde::coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  // A decoder reads kFramePadding bytes past the frame's end.
  std::string frame =
      R"({"r":"DATA","c":"TRADE","d":{"qc":"KRW","tc":"XRP","i":"1","t":1693560563084,)"
      R"("p":"688.3","q":"290.745","sm":false}})";
  const std::size_t size = frame.size();
  frame.append(mde::kFramePadding, '\0');
  mde::Event event;
  const mde::DecodeResult r = decoder.decode(mde::FrameView{frame.data(), size}, event);
  if (!r.ok() || event.header.kind != mde::EventKind::trade) {
    std::fprintf(stderr, "decode failed: %s\n", r.field ? r.field : "?");
    return 1;
  }
  std::printf("%s %s x %s\n", std::string(registry.name(event.header.instrument)).c_str(),
              event.trade.price.to_string().c_str(), event.trade.qty.to_string().c_str());
  return 0;
}

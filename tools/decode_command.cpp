// `mde decode FILE`: one frame per line (optionally "<receive_ns>\t<frame>"); prints what the
// decoder makes of each: the event, or the rejection reason and field.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "event_text.hpp"
#include "mde/feeds/coinone/decoder.hpp"

namespace mde::tools {

int run_decode(std::span<char* const> args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: mde decode FILE   (one frame per line; '-' reads stdin)\n");
    return 2;
  }
  const std::string path = args[0];
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      std::fprintf(stderr, "mde decode: cannot open %s\n", path.c_str());
      return 1;
    }
    in = &file;
  }
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  PaddedBuffer buffer(1 << 20);
  Event event;
  std::string line;
  std::size_t line_no = 0, decoded = 0, rejected = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    std::string_view frame = line;
    if (const auto tab = frame.find('\t'); tab != std::string_view::npos) {
      frame.remove_prefix(tab + 1);  // "<receive_ns>\t<frame>"
    }
    if (frame.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!buffer.assign(frame)) {
      std::printf("%zu: rejected: frame_too_large\n", line_no);
      ++rejected;
      continue;
    }
    const DecodeResult r = decoder.decode(buffer.view(), event);
    if (r.ok()) {
      ++decoded;
      std::printf("%zu: %s\n", line_no, describe(event, registry).c_str());
    } else {
      ++rejected;
      std::printf("%zu: %s\n", line_no, describe(r).c_str());
    }
  }
  std::printf("-- %zu decoded, %zu rejected\n", decoded, rejected);
  return 0;
}

}  // namespace mde::tools

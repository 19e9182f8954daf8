// `mde decode FILE`: one frame per line, read by the same text reader (and line parser) as
// `mde replay` and `mde capture`; prints what the decoder makes of each line: the event, or the
// rejection reason and field. Exit 1 when any line was rejected or the input could not be read.
#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "commands.hpp"
#include "event_text.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/feeds/coinone/decoder.hpp"

namespace mde::tools {

namespace {

struct DecodeArgs {
  std::string path;
  std::uint32_t max_frame_bytes = capture::kMaxPayloadBytes;  // what replay accepts
};

int run_decode(const DecodeArgs& a) {
  capture::TextCaptureStream in;
  if (!in.open(a.path, {.max_frame_bytes = a.max_frame_bytes})) {
    std::fprintf(stderr, "mde decode: cannot open %s: %s\n", a.path.c_str(),
                 std::strerror(in.read_errno()));
    return kExitFailed;
  }
  InstrumentRegistry registry;
  coinone::Decoder decoder(registry, {.add_unknown_instruments = true});
  Event event;
  std::uint64_t decoded = 0, rejected = 0;
  capture::TextLine line;
  while (in.next_line(line)) {
    if (!line.ok) {
      ++rejected;
      std::printf("%" PRIu64 ": rejected: %s (line)\n", line.number,
                  std::string(capture::to_string(line.bad)).c_str());
      continue;
    }
    const DecodeResult r = decoder.decode(line.record.frame, event);
    if (r.ok()) {
      ++decoded;
      std::printf("%" PRIu64 ": %s\n", line.number, describe(event, registry).c_str());
    } else {
      ++rejected;
      std::printf("%" PRIu64 ": %s\n", line.number, describe(r).c_str());
    }
  }
  std::printf("-- %" PRIu64 " decoded, %" PRIu64 " rejected\n", decoded, rejected);
  if (in.failed()) {
    std::fprintf(stderr, "mde decode: cannot read %s after line %" PRIu64 ": %s\n",
                 a.path.c_str(), in.stats().lines, std::strerror(in.read_errno()));
    return kExitFailed;
  }
  if (in.stats().bad_total() > 0) {
    std::fprintf(stderr, "mde decode: %s: %s\n", a.path.c_str(),
                 capture::describe_bad_lines(in.stats()).c_str());
  }
  return rejected == 0 ? kExitOk : kExitFailed;
}

}  // namespace

Command add_decode(CLI::App& app) {
  auto a = std::make_shared<DecodeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "decode", "Decode one frame per line and print each event or the rejection reason");
  cmd->add_option("FILE", a->path,
                  "Text capture: one frame per line, bare or '<receive_ns>\\t[<venue>:<conn>\\t]"
                  "<frame>'; '-' reads standard input")
      ->required();
  cmd->add_option("--max-frame-bytes", a->max_frame_bytes,
                  "Longest frame accepted; longer lines are rejected (line_too_long)")
      ->check(CLI::Range(1u, capture::kMaxPayloadBytes))
      ->capture_default_str();
  cmd->footer("Exit: 0 when every line decoded; 1 when a line was rejected or the input could "
              "not be read; 2 usage.");
  return [a] { return run_decode(*a); };
}

}  // namespace mde::tools

// `mde decode FILE`: one frame per line, read by the same text reader (and line parser) as
// `mde replay` and `mde capture`; prints what the decoder of the line's venue (its
// `<venue>:<connection>` form, else recognised from the frame, as replay does) makes of it: each
// event, or the rejection reason and field. Exit 1 when any line was rejected or the input could
// not be read.
#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "commands.hpp"
#include "event_text.hpp"
#include "mde/feeds/capture/connection_marker.hpp"
#include "mde/feeds/capture/text_capture.hpp"
#include "mde/feeds/venue_decoder.hpp"

namespace mde::tools {

namespace {

constexpr std::size_t kShownEvents = 64;  // events printed per frame; the rest are counted

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
  VenueDecoder decoder(registry, {.add_unknown_instruments = true});
  auto sink = std::make_unique<ArraySink<kShownEvents>>();  // a BTSE frame carries several
  std::uint64_t decoded = 0, rejected = 0;
  capture::TextLine line;
  while (in.next_line(line)) {
    if (!line.ok) {
      ++rejected;
      std::printf("%" PRIu64 ": rejected: %s (line)\n", line.number,
                  std::string(capture::to_string(line.bad)).c_str());
      continue;
    }
    sink->clear();
    Event marker{};
    if (capture::parse_disconnected_marker(line.record.frame.text(), line.record.venue, marker)) {
      ++decoded;  // a live capture's lost connection (connection_marker.hpp), not a venue frame
      std::printf("%" PRIu64 ": %s\n", line.number, describe(marker, registry).c_str());
      continue;
    }
    const DecodeResult r = decoder.decode(line.record.frame, *sink, line.record.venue);
    if (r.ok()) {
      ++decoded;
      for (std::size_t i = 0; i < sink->count; ++i) {
        std::printf("%" PRIu64 ": %s\n", line.number, describe(sink->events[i], registry).c_str());
      }
      if (sink->count == 0) std::printf("%" PRIu64 ": (no event)\n", line.number);
      if (sink->overflowed != 0) {
        std::printf("%" PRIu64 ": ... and %zu more events\n", line.number, sink->overflowed);
      }
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

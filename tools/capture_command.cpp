// `mde capture convert IN OUT` and `mde capture info FILE`: capture files for humans.
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "mde/feeds/capture/capture_summary.hpp"
#include "mde/feeds/capture/crc32c.hpp"
#include "mde/sample/capture_io.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

// Upper bound for --bare-step-ns: one day per frame; more only serves to wrap the clock.
constexpr std::int64_t kMaxBareStepNs = 86'400'000'000'000;

struct ConvertArgs {
  std::string in_path, out_path;
  capture::TextReadOptions text{};
};

// "2025-10-21T05:53:20.123456789Z"
std::string utc(std::int64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::int64_t frac = ns % 1'000'000'000;
  std::time_t s = secs;
  if (frac < 0) {
    frac += 1'000'000'000;
    --s;
  }
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09" PRId64 "Z",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                frac);
  return buf;
}

// A read error (not damage, not a bad line) means the input was not read in full: no output.
bool read_failed(const sample::CaptureSource& source) {
  return source.form() == CaptureForm::native
             ? source.native().stop().reason == capture::StopReason::io_error
             : source.text().failed();
}

int run_convert(const ConvertArgs& a) {
  const std::string& in_path = a.in_path;
  const std::string& out_path = a.out_path;
  sample::CaptureSource source;
  if (!source.open(in_path, a.text)) {
    std::fprintf(stderr, "mde capture convert: %s\n", source.error().c_str());
    return kExitFailed;
  }
  if (std::string error; sample::refuse_same_file(out_path, in_path, source.identity(), error)) {
    std::fprintf(stderr, "mde capture convert: %s\n", error.c_str());
    return kExitFailed;
  }
  const CaptureForm out_form = sample::form_from_extension(out_path).value_or(
      source.form() == CaptureForm::native ? CaptureForm::text : CaptureForm::native);
  capture::WriterOptions options;
  if (source.form() == CaptureForm::native) {
    options.flags = source.native().header().flags;  // keep provenance and creation time
    options.created_ns = source.native().header().created_ns;
  } else {
    options.flags = capture::kFlagFromText;
  }
  sample::CaptureSink sink;
  if (!sink.open(out_path, out_form, options)) {
    std::fprintf(stderr, "mde capture convert: %s\n", sink.error().c_str());
    return kExitFailed;
  }
  Progress progress("convert", source.input_size());
  capture::CaptureRecord r{};
  std::uint64_t frames = 0;
  while (source.next(r)) {
    if (!sink.write(r.receive_ns, r.connection, r.frame.text(), r.venue)) {
      std::fprintf(stderr, "mde capture convert: %s\n", sink.error().c_str());
      return kExitFailed;  // the sink removes its temporary; OUT is left as it was
    }
    progress.update(source.bytes_consumed(), ++frames);
  }
  progress.finish();
  if (read_failed(source)) {
    std::fprintf(stderr, "mde capture convert: %s: %s; nothing written\n", in_path.c_str(),
                 source.end_report().c_str());
    return kExitFailed;
  }
  if (!sink.close()) {
    std::fprintf(stderr, "mde capture convert: %s\n", sink.error().c_str());
    return kExitFailed;
  }
  std::fprintf(stderr, "mde capture convert: %" PRIu64 " records, %s -> %s (%s -> %s)\n",
               sink.records(), in_path.c_str(), out_path.c_str(),
               std::string(to_string(source.form())).c_str(),
               std::string(to_string(out_form)).c_str());
  if (sink.newlines_replaced() > 0) {
    std::fprintf(stderr,
                 "mde capture convert: %" PRIu64
                 " frames had raw CR/LF bytes, written as spaces (JSON whitespace)\n",
                 sink.newlines_replaced());
  }
  if (!source.clean_end()) {
    std::fprintf(stderr, "mde capture convert: input damaged: %s\n",
                 source.end_report().c_str());
    return kExitFailed;
  }
  return kExitOk;
}

int run_info(const std::string& path) {
  sample::CaptureSource source;
  if (!source.open(path)) {
    std::fprintf(stderr, "mde capture info: %s\n", source.error().c_str());
    return kExitFailed;
  }
  capture::CaptureSummary summary;
  capture::CaptureRecord r{};
  {
    Progress progress("info", source.input_size());
    while (source.next(r)) {
      summary.add(r);
      progress.update(source.bytes_consumed(), summary.records);
    }
  }

  std::printf("file         %s\n", path.c_str());
  if (source.form() == CaptureForm::native) {
    const capture::FileHeader& h = source.native().header();
    std::string flags;
    if ((h.flags & capture::kFlagSynthetic) != 0) flags += " synthetic";
    if ((h.flags & capture::kFlagFromText) != 0) flags += " from-text";
    if ((h.flags & capture::kFlagIncomplete) != 0) flags += " incomplete";
    std::printf("form         native v%u, flags:%s, created %s\n", h.version,
                flags.empty() ? " none" : flags.c_str(),
                h.created_ns == 0 ? "unknown" : utc(h.created_ns).c_str());
    std::printf("file bytes   %" PRIu64 "\n", source.native().file_size());
  } else {
    const capture::TextReadStats& t = source.text().stats();
    std::printf("form         text: %" PRIu64 " lines (%" PRIu64 " timestamped, %" PRIu64
                " bare, %" PRIu64 " blank, %" PRIu64 " CRLF)\n",
                t.lines, t.timestamped, t.bare, t.blank, t.crlf);
  }
  std::printf("records      %" PRIu64 "\n", summary.records);
  std::printf("payload      %" PRIu64 " bytes (largest frame %" PRIu64 ")\n",
              summary.payload_bytes, summary.largest_payload);
  if (summary.records > 0) {
    std::printf("first        %" PRId64 "  %s\n", summary.first_ns, utc(summary.first_ns).c_str());
    std::printf("last         %" PRId64 "  %s\n", summary.last_ns, utc(summary.last_ns).c_str());
    std::printf("time span    %.6f s\n", static_cast<double>(summary.span_ns()) / 1e9);
    if (summary.backwards > 0) {
      std::printf("out of order %" PRIu64 " records earlier than their predecessor\n",
                  summary.backwards);
    }
  }
  std::printf("connections ");
  for (const capture::ConnectionCount& c : summary.connections) {
    std::printf(" %u (%" PRIu64 " records)", c.connection, c.records);
  }
  std::printf("%s\n", summary.connections.empty() ? " none" : "");
  std::printf("end          %s\n", source.end_report().c_str());

  if (source.form() == CaptureForm::native && summary.payload_bytes > 0 &&
      source.input_size() > 0 && path != "-") {
    // The replay hot path alone: walk and checksum every record in place, nothing else.
    capture::CaptureReader reader;
    if (reader.open(path) == capture::OpenError::ok) {
      const auto t0 = std::chrono::steady_clock::now();
      while (reader.next(r)) {
      }
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double file_bytes = static_cast<double>(reader.position());
      std::printf("read speed   %.3f GB/s of file (%.1f M records/s), CRC32C %s, %.1f ms\n",
                  file_bytes / s / 1e9, static_cast<double>(reader.records_read()) / s / 1e6,
                  capture::crc32c_is_hardware() ? "SSE4.2" : "portable", s * 1e3);
    }
  }
  return source.clean_end() ? kExitOk : kExitFailed;
}

}  // namespace

Command add_capture(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("capture", "Convert captures (text <-> native) and summarise them");
  cmd->require_subcommand(1);

  auto c = std::make_shared<ConvertArgs>();
  CLI::App* convert = cmd->add_subcommand(
      "convert",
      "Native (.mdecap) <-> text. IN's form is recognised by its first bytes; OUT's by its "
      "extension (.mdecap native; .jsonl/.txt/.ndjson/.log text; otherwise the other form). OUT "
      "is written to a temporary file beside it and renamed into place; OUT may not be IN (by any "
      "path or link). A damaged native IN or a text IN with bad lines is converted up to the "
      "damage / without the bad lines (exit 1).");
  convert->add_option("IN", c->in_path, "Input capture ('-' reads standard input)")->required();
  convert->add_option("OUT", c->out_path, "Output capture")->required();
  convert
      ->add_option("--connection", c->text.connection,
                   "Connection id for records read from text lines without '<venue>:<conn>'")
      ->check(CLI::Range(0u, capture::kMaxConnection))
      ->capture_default_str();
  convert
      ->add_option("--bare-step-ns", c->text.bare_frame_step_ns,
                   "Synthetic time step between bare text frames (at most one day)")
      ->check(CLI::Range(std::int64_t{0}, kMaxBareStepNs))
      ->capture_default_str();

  auto info_path = std::make_shared<std::string>();
  CLI::App* info = cmd->add_subcommand(
      "info", "Records, bytes, time span, connections, and where a damaged file stops "
              "(exit 0 when it reads cleanly to its end, 1 otherwise)");
  info->add_option("FILE", *info_path, "Capture ('-' reads standard input)")->required();

  return [c, info_path, convert] {
    return convert->parsed() ? run_convert(*c) : run_info(*info_path);
  };
}

}  // namespace mde::tools

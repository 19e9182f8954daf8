// `mde capture convert IN OUT` and `mde capture info FILE`: capture files for humans.
#include <time.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "mde/feeds/capture/capture_summary.hpp"
#include "mde/feeds/capture/crc32c.hpp"
#include "mde/sample/capture_io.hpp"

namespace mde::tools {

namespace {

using sample::CaptureForm;

int usage() {
  std::fputs(
      "usage: mde capture convert IN OUT [--connection N] [--bare-step-ns N]\n"
      "       mde capture info FILE\n"
      "  convert: native (.mdecap) <-> text (one frame per line, '<receive_ns>\\t<frame>' or a\n"
      "           bare frame). IN's form is recognised by its magic; OUT's by its extension\n"
      "           (.mdecap native; .jsonl/.txt/.ndjson/.log text; otherwise the other form).\n"
      "           A damaged native IN is converted up to its last good record (exit 1).\n"
      "           --connection N: connection id for records read from text (default 0).\n"
      "           --bare-step-ns N: synthetic time step for bare text frames (default 1000000).\n"
      "  info:    records, bytes, time span, connections, and where a damaged file stops\n"
      "           (exit 0 when the file reads cleanly to its end, 1 otherwise).\n",
      stderr);
  return 2;
}

bool parse_i64(const char* s, std::int64_t& out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0) return false;
  out = v;
  return true;
}

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

int run_convert(std::span<char* const> args) {
  std::string in_path, out_path;
  capture::TextReadOptions text{};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    std::int64_t v = 0;
    if ((a == "--connection" || a == "--bare-step-ns") && i + 1 < args.size() &&
        parse_i64(args[i + 1], v) && v >= 0) {
      if (a == "--connection") text.connection = static_cast<std::uint32_t>(v);
      else text.bare_frame_step_ns = v;
      ++i;
    } else if (!a.starts_with("--") && in_path.empty()) {
      in_path = a;
    } else if (!a.starts_with("--") && out_path.empty()) {
      out_path = a;
    } else {
      return usage();
    }
  }
  if (in_path.empty() || out_path.empty()) return usage();

  sample::CaptureSource source;
  if (!source.open(in_path, text)) {
    std::fprintf(stderr, "mde capture convert: %s\n", source.error().c_str());
    return 1;
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
    return 1;
  }
  capture::CaptureRecord r{};
  while (source.next(r)) {
    if (!sink.write(r.receive_ns, r.connection, r.frame.text())) {
      std::fprintf(stderr, "mde capture convert: %s\n", sink.error().c_str());
      return 1;
    }
  }
  if (!sink.close()) {
    std::fprintf(stderr, "mde capture convert: %s\n", sink.error().c_str());
    return 1;
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
    return 1;
  }
  return 0;
}

int run_info(std::span<char* const> args) {
  if (args.size() != 1) return usage();
  const std::string path = args[0];
  sample::CaptureSource source;
  if (!source.open(path)) {
    std::fprintf(stderr, "mde capture info: %s\n", source.error().c_str());
    return 1;
  }
  capture::CaptureSummary summary;
  capture::CaptureRecord r{};
  while (source.next(r)) summary.add(r);

  std::printf("file         %s\n", path.c_str());
  if (source.form() == CaptureForm::native) {
    const capture::FileHeader& h = source.native().header();
    std::string flags;
    if ((h.flags & capture::kFlagSynthetic) != 0) flags += " synthetic";
    if ((h.flags & capture::kFlagFromText) != 0) flags += " from-text";
    std::printf("form         native v%u, flags:%s, created %s\n", h.version,
                flags.empty() ? " none" : flags.c_str(),
                h.created_ns == 0 ? "unknown" : utc(h.created_ns).c_str());
    std::printf("file bytes   %" PRIu64 "\n", source.native().file_size());
  } else {
    const capture::TextReadStats& t = source.text()->stats();
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

  if (source.form() == CaptureForm::native && summary.payload_bytes > 0) {
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
  return source.clean_end() ? 0 : 1;
}

}  // namespace

int run_capture(std::span<char* const> args) {
  if (args.empty()) return usage();
  const std::string_view sub = args[0];
  if (sub == "convert") return run_convert(args.subspan(1));
  if (sub == "info") return run_info(args.subspan(1));
  return usage();
}

}  // namespace mde::tools

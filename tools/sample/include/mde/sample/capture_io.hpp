// Tool-side capture I/O: one reader and one writer over both capture forms (native .mdecap and
// text), chosen by the input's magic and the output's extension. Used by `mde capture` and
// `mde gen`; the libraries underneath never print, these helpers only return text for the tool
// to print.
//
// Thread: tool side; allocates freely.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mde/feeds/capture/capture_reader.hpp"
#include "mde/feeds/capture/capture_writer.hpp"
#include "mde/feeds/capture/text_capture.hpp"

namespace mde::sample {

enum class CaptureForm : std::uint8_t { native, text };

[[nodiscard]] std::string_view to_string(CaptureForm form) noexcept;

// By extension: ".mdecap" is native; ".jsonl", ".txt", ".ndjson" and ".log" are text; anything
// else is nullopt (the caller picks).
[[nodiscard]] std::optional<CaptureForm> form_from_extension(std::string_view path) noexcept;

// Reads records from a native or text capture; which one is decided by the file's first bytes.
class CaptureSource {
 public:
  // False (with error() set) when the file cannot be opened or its native header is bad.
  [[nodiscard]] bool open(const std::string& path, const capture::TextReadOptions& text = {});
  [[nodiscard]] bool next(capture::CaptureRecord& out);

  [[nodiscard]] CaptureForm form() const noexcept { return form_; }
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] const capture::CaptureReader& native() const noexcept { return native_; }
  [[nodiscard]] const capture::TextCaptureReader* text() const noexcept { return text_.get(); }
  // After next() returned false: true when the input ended cleanly; otherwise a description
  // of where and why reading stopped.
  [[nodiscard]] bool clean_end() const noexcept;
  [[nodiscard]] std::string end_report() const;

 private:
  CaptureForm form_ = CaptureForm::native;
  capture::CaptureReader native_;
  std::ifstream file_;
  std::unique_ptr<capture::TextCaptureReader> text_;
  std::string error_;
};

// Writes records in either form.
class CaptureSink {
 public:
  [[nodiscard]] bool open(const std::string& path, CaptureForm form,
                          const capture::WriterOptions& options = {});
  [[nodiscard]] bool write(std::int64_t receive_ns, std::uint32_t connection,
                           std::string_view frame);
  [[nodiscard]] bool close();

  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  [[nodiscard]] std::uint64_t newlines_replaced() const noexcept;

 private:
  CaptureForm form_ = CaptureForm::native;
  capture::CaptureWriter native_;
  std::ofstream file_;
  std::unique_ptr<capture::TextCaptureWriter> text_;
  std::string path_;
  std::string error_;
  std::uint64_t records_ = 0;
};

}  // namespace mde::sample

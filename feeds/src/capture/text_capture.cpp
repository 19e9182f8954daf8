// Text captures: line classification, the line reader and the line writer.
#include "mde/feeds/capture/text_capture.hpp"

#include <charconv>
#include <istream>
#include <ostream>

namespace mde::capture {

namespace {

[[nodiscard]] bool is_blank(std::string_view s) noexcept {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

constexpr std::size_t kWriteChunk = 1u << 16;

}  // namespace

ParsedLine parse_text_line(std::string_view line) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ParsedLine out;
  if (is_blank(line)) return out;  // blank

  // "<optional '-'><digits>\t": a timestamped line. Anything else is a bare frame.
  std::size_t i = (!line.empty() && line[0] == '-') ? 1 : 0;
  const std::size_t digits_begin = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  const std::size_t digits = i - digits_begin;
  if (digits == 0 || i == line.size() || line[i] != '\t') {
    out.kind = LineKind::bare;
    out.frame = line;
    return out;
  }
  std::int64_t ns = 0;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + i, ns);
  if (ec != std::errc{} || end != line.data() + i) {
    out.kind = LineKind::bad_timestamp;
    return out;
  }
  const std::string_view frame = line.substr(i + 1);
  if (is_blank(frame)) return out;  // blank: a time with no frame
  out.kind = LineKind::timestamped;
  out.receive_ns = ns;
  out.frame = frame;
  return out;
}

bool append_text_line(std::string& out, std::int64_t receive_ns, std::string_view frame) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, receive_ns);
  out.append(digits, r.ptr);
  out.push_back('\t');
  const std::size_t start = out.size();
  out.append(frame);
  out.push_back('\n');
  if (frame.find_first_of("\r\n") == std::string_view::npos) return false;
  for (std::size_t k = start; k + 1 < out.size(); ++k) {
    if (out[k] == '\r' || out[k] == '\n') out[k] = ' ';
  }
  return true;
}

// ---- TextCaptureReader -------------------------------------------------------------------------

TextCaptureReader::TextCaptureReader(std::istream& in, const TextReadOptions& options)
    : in_(in), options_(options) {}

bool TextCaptureReader::next(CaptureRecord& out) {
  if (error_ != TextReadError::none) return false;
  while (std::getline(in_, line_)) {
    ++stats_.lines;
    if (!line_.empty() && line_.back() == '\r') ++stats_.crlf;
    const ParsedLine parsed = parse_text_line(line_);
    switch (parsed.kind) {
      case LineKind::blank:
        ++stats_.blank;
        continue;
      case LineKind::bad_timestamp:
        error_ = TextReadError::bad_timestamp;
        error_line_ = stats_.lines;
        return false;
      case LineKind::timestamped:
        ++stats_.timestamped;
        last_ns_ = parsed.receive_ns;
        break;
      case LineKind::bare:
        ++stats_.bare;
        last_ns_ += options_.bare_frame_step_ns;
        break;
    }
    if (parsed.frame.size() > kMaxPayloadBytes) {
      error_ = TextReadError::line_too_long;
      error_line_ = stats_.lines;
      return false;
    }
    frame_.resize(parsed.frame.size() + kFramePadding);
    std::memcpy(frame_.data(), parsed.frame.data(), parsed.frame.size());
    std::memset(frame_.data() + parsed.frame.size(), 0, kFramePadding);
    out.receive_ns = last_ns_;
    out.connection = options_.connection;
    out.frame = FrameView{frame_.data(), parsed.frame.size()};
    return true;
  }
  if (in_.bad()) {
    error_ = TextReadError::io_error;
    error_line_ = stats_.lines + 1;
  }
  return false;
}

// ---- TextCaptureWriter -------------------------------------------------------------------------

TextCaptureWriter::TextCaptureWriter(std::ostream& out) : out_(out) {
  buffer_.reserve(kWriteChunk * 2);
}

TextCaptureWriter::~TextCaptureWriter() { flush(); }

bool TextCaptureWriter::write(std::int64_t receive_ns, std::string_view frame) {
  if (append_text_line(buffer_, receive_ns, frame)) ++newlines_replaced_;
  ++records_;
  if (buffer_.size() >= kWriteChunk) return flush();
  return static_cast<bool>(out_);
}

bool TextCaptureWriter::flush() {
  if (!buffer_.empty()) {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }
  out_.flush();
  return static_cast<bool>(out_);
}

}  // namespace mde::capture

// Tool-side capture I/O over both forms.
#include "mde/sample/capture_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mde::sample {

std::string_view to_string(CaptureForm form) noexcept {
  return form == CaptureForm::native ? "native" : "text";
}

std::optional<CaptureForm> form_from_extension(std::string_view path) noexcept {
  const auto dot = path.rfind('.');
  const auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return std::nullopt;
  }
  const std::string_view ext = path.substr(dot);
  if (ext == ".mdecap") return CaptureForm::native;
  if (ext == ".jsonl" || ext == ".txt" || ext == ".ndjson" || ext == ".log") {
    return CaptureForm::text;
  }
  return std::nullopt;
}

// ---- CaptureSource -----------------------------------------------------------------------------

bool CaptureSource::open(const std::string& path, const capture::TextReadOptions& text) {
  path_ = path;
  const int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error_ = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  identity_ = identity_of_fd(fd);
  // Peek at the first bytes and keep them: the readers take them back, so nothing is lost on a
  // stream that cannot seek.
  char head[sizeof capture::kFileMagic];
  const long got = capture::read_head(fd, head, sizeof head);
  if (got < 0) {
    error_ = "cannot read " + path + ": " + std::strerror(errno);
    if (fd > 0) ::close(fd);
    return false;
  }
  const std::string_view peeked(head, static_cast<std::size_t>(got));
  form_ = capture::has_native_magic(peeked) ? CaptureForm::native : CaptureForm::text;
  if (form_ == CaptureForm::native) {
    const capture::OpenError e = native_.open_fd(fd, peeked);
    if (e == capture::OpenError::cannot_open) {
      error_ = "cannot read " + path + ": " + std::strerror(native_.last_errno());
      return false;
    }
    if (e == capture::OpenError::bad_header) {
      error_ = path + ": bad capture header (" +
               std::string(capture::to_string(native_.header_error())) + ")";
      return false;
    }
    return true;
  }
  if (!text_.open_fd(fd, peeked, text)) {
    error_ = "cannot read " + path + ": " + std::strerror(text_.read_errno());
    return false;
  }
  return true;
}

std::uint64_t CaptureSource::bytes_consumed() const noexcept {
  return form_ == CaptureForm::native ? native_.position() : text_.bytes_consumed();
}

std::uint64_t CaptureSource::input_size() const noexcept {
  return form_ == CaptureForm::native ? native_.file_size() : text_.file_size();
}

bool CaptureSource::clean_end() const noexcept {
  if (form_ == CaptureForm::native) return native_.stop().clean();
  return text_.clean();
}

std::string CaptureSource::end_report() const {
  if (form_ == CaptureForm::native) {
    const capture::CaptureStop& s = native_.stop();
    if (s.clean()) return "clean end of file";
    std::string out = "stopped at byte " + std::to_string(s.offset) + " (record " +
                      std::to_string(s.record_index) + "): " +
                      std::string(capture::to_string(s.reason));
    if (s.reason == capture::StopReason::io_error) {
      out += std::string(": ") + std::strerror(native_.last_errno());
    }
    if (native_.file_size() > s.offset) {
      out += "; " + std::to_string(native_.file_size() - s.offset) + " bytes after it unread";
    }
    return out;
  }
  if (text_.failed()) {
    return "read error after line " + std::to_string(text_.stats().lines) + ": " +
           std::strerror(text_.read_errno());
  }
  if (text_.stats().bad_total() > 0) return capture::describe_bad_lines(text_.stats());
  return "clean end of file";
}

bool refuse_same_file(const std::string& out_path, const std::string& in_path,
                      const FileIdentity& input, std::string& error) {
  if (!is_same_file(input, out_path)) return false;
  error = "refusing to write " + out_path + ": it is the input " + in_path +
          " (the same file through another path or a link)";
  return true;
}

// ---- CaptureSink -------------------------------------------------------------------------------

bool CaptureSink::open(const std::string& path, CaptureForm form,
                       const capture::WriterOptions& options) {
  form_ = form;
  path_ = path;
  records_ = 0;
  if (!output_.create(path)) {
    error_ = output_.error();
    return false;
  }
  const std::string& temp = output_.temp_path();
  if (form == CaptureForm::native) {
    if (native_.open(temp, options) != capture::WriteStatus::ok) {
      error_ = "cannot create " + temp + ": " + std::strerror(native_.last_errno());
      output_.discard();
      return false;
    }
    return true;
  }
  file_.open(temp, std::ios::binary | std::ios::trunc);
  if (!file_) {
    error_ = "cannot create " + temp;
    output_.discard();
    return false;
  }
  text_ = std::make_unique<capture::TextCaptureWriter>(file_);
  return true;
}

bool CaptureSink::write(std::int64_t receive_ns, std::uint32_t connection,
                        std::string_view frame, Venue venue) {
  ++records_;
  if (form_ == CaptureForm::native) {
    const capture::WriteStatus s = native_.try_append(receive_ns, connection, frame, venue);
    if (s == capture::WriteStatus::ok) return true;
    error_ = path_ + ": record " + std::to_string(records_) + ": " +
             std::string(capture::to_string(s));
    if (s == capture::WriteStatus::io_error) {
      error_ += std::string(": ") + std::strerror(native_.last_errno());
    }
    return false;
  }
  if (text_->write(receive_ns, frame, venue, connection)) return true;
  error_ = path_ + ": write failed";
  return false;
}

bool CaptureSink::close() {
  bool ok;
  if (form_ == CaptureForm::native) {
    const capture::WriteStatus s = native_.try_close();
    ok = s == capture::WriteStatus::ok;
    if (!ok) error_ = path_ + ": " + std::string(capture::to_string(s));
  } else {
    ok = text_->flush();
    file_.close();
    ok = ok && static_cast<bool>(file_);
    if (!ok) error_ = path_ + ": write failed";
  }
  if (!ok) {
    output_.discard();
    return false;
  }
  if (!output_.commit()) {
    error_ = output_.error();
    return false;
  }
  return true;
}

std::uint64_t CaptureSink::newlines_replaced() const noexcept {
  return text_ != nullptr ? text_->newlines_replaced() : 0;
}

}  // namespace mde::sample

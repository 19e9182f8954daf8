// Tool-side capture I/O over both forms.
#include "mde/sample/capture_io.hpp"

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
  char head[sizeof capture::kFileMagic] = {};
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
      error_ = "cannot open " + path + ": " + std::strerror(errno);
      return false;
    }
    probe.read(head, sizeof head);
    const auto got = static_cast<std::size_t>(probe.gcount());
    form_ = capture::has_native_magic({head, got}) ? CaptureForm::native : CaptureForm::text;
  }
  if (form_ == CaptureForm::native) {
    const capture::OpenError e = native_.open(path);
    if (e == capture::OpenError::cannot_open) {
      error_ = "cannot open " + path + ": " + std::strerror(native_.last_errno());
      return false;
    }
    if (e == capture::OpenError::bad_header) {
      error_ = path + ": bad capture header (" +
               std::string(capture::to_string(native_.header_error())) + ")";
      return false;
    }
    return true;
  }
  file_.open(path, std::ios::binary);
  if (!file_) {
    error_ = "cannot open " + path;
    return false;
  }
  text_ = std::make_unique<capture::TextCaptureReader>(file_, text);
  return true;
}

bool CaptureSource::next(capture::CaptureRecord& out) {
  return form_ == CaptureForm::native ? native_.next(out) : text_->next(out);
}

bool CaptureSource::clean_end() const noexcept {
  if (form_ == CaptureForm::native) return native_.stop().clean();
  return text_ != nullptr && text_->error() == capture::TextReadError::none;
}

std::string CaptureSource::end_report() const {
  if (form_ == CaptureForm::native) {
    const capture::CaptureStop& s = native_.stop();
    if (s.clean()) return "clean end of file";
    return "stopped at byte " + std::to_string(s.offset) + " (record " +
           std::to_string(s.record_index) + "): " + std::string(capture::to_string(s.reason)) +
           "; " + std::to_string(native_.file_size() - s.offset) + " bytes after it unread";
  }
  if (text_ == nullptr) return "not open";
  if (text_->error() == capture::TextReadError::none) return "clean end of file";
  return "stopped at line " + std::to_string(text_->error_line()) + ": " +
         std::string(capture::to_string(text_->error()));
}

// ---- CaptureSink -------------------------------------------------------------------------------

bool CaptureSink::open(const std::string& path, CaptureForm form,
                       const capture::WriterOptions& options) {
  form_ = form;
  path_ = path;
  records_ = 0;
  if (form == CaptureForm::native) {
    if (native_.open(path, options) != capture::WriteStatus::ok) {
      error_ = "cannot create " + path + ": " + std::strerror(native_.last_errno());
      return false;
    }
    return true;
  }
  file_.open(path, std::ios::binary | std::ios::trunc);
  if (!file_) {
    error_ = "cannot create " + path;
    return false;
  }
  text_ = std::make_unique<capture::TextCaptureWriter>(file_);
  return true;
}

bool CaptureSink::write(std::int64_t receive_ns, std::uint32_t connection,
                        std::string_view frame) {
  ++records_;
  if (form_ == CaptureForm::native) {
    const capture::WriteStatus s = native_.try_append(receive_ns, connection, frame);
    if (s == capture::WriteStatus::ok) return true;
    error_ = path_ + ": " + std::string(capture::to_string(s));
    if (s == capture::WriteStatus::io_error) error_ += std::string(": ") + std::strerror(native_.last_errno());
    return false;
  }
  if (text_->write(receive_ns, frame)) return true;
  error_ = path_ + ": write failed";
  return false;
}

bool CaptureSink::close() {
  if (form_ == CaptureForm::native) {
    const capture::WriteStatus s = native_.try_close();
    if (s == capture::WriteStatus::ok) return true;
    error_ = path_ + ": " + std::string(capture::to_string(s));
    return false;
  }
  const bool ok = text_->flush();
  file_.close();
  if (!ok || !file_) {
    error_ = path_ + ": write failed";
    return false;
  }
  return true;
}

std::uint64_t CaptureSink::newlines_replaced() const noexcept {
  return text_ != nullptr ? text_->newlines_replaced() : 0;
}

}  // namespace mde::sample

// Text captures: line classification, the line reader and the line writer.
#include "mde/feeds/capture/text_capture.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <ostream>

namespace mde::capture {

namespace {

[[nodiscard]] bool is_blank(std::string_view s) noexcept {
  return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

constexpr std::size_t kWriteChunk = 1u << 16;

// "<letters>:<digits>\t" at the start of `rest`: the venue form. Returns the bytes it takes (0:
// not this form), or npos when it is this form but names no venue or too large a connection.
std::size_t parse_source(std::string_view rest, Venue& venue, std::uint32_t& connection) noexcept {
  std::size_t j = 0;
  while (j < rest.size() && rest[j] >= 'a' && rest[j] <= 'z') ++j;
  if (j == 0 || j > 16 || j >= rest.size() || rest[j] != ':') return 0;
  std::size_t k = j + 1;
  while (k < rest.size() && rest[k] >= '0' && rest[k] <= '9') ++k;
  if (k == j + 1 || k >= rest.size() || rest[k] != '\t') return 0;
  const std::string_view name = rest.substr(0, j);
  if (name == to_string(Venue::unknown)) {
    venue = Venue::unknown;
  } else if (const auto v = parse_venue(name)) {
    venue = *v;
  } else {
    return std::string_view::npos;
  }
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(rest.data() + j + 1, rest.data() + k, id);
  if (ec != std::errc{} || end != rest.data() + k || id > kMaxConnection) {
    return std::string_view::npos;
  }
  connection = static_cast<std::uint32_t>(id);
  return k + 1;
}

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
  std::string_view frame = line.substr(i + 1);
  const std::size_t source = parse_source(frame, out.venue, out.connection);
  if (source == std::string_view::npos) {
    out.kind = LineKind::bad_source;
    return out;
  }
  if (source > 0) {
    out.has_source = true;
    frame.remove_prefix(source);
  }
  if (is_blank(frame)) return out;  // blank: a time with no frame
  out.kind = LineKind::timestamped;
  out.receive_ns = ns;
  out.frame = frame;
  return out;
}

bool append_text_line(std::string& out, std::int64_t receive_ns, std::string_view frame,
                      Venue venue, std::uint32_t connection) {
  char digits[24];
  const auto r = std::to_chars(digits, digits + sizeof digits, receive_ns);
  out.append(digits, r.ptr);
  out.push_back('\t');
  if (venue != Venue::unknown) {
    out.append(to_string(venue));
    out.push_back(':');
    const auto c = std::to_chars(digits, digits + sizeof digits, connection);
    out.append(digits, c.ptr);
    out.push_back('\t');
  }
  const std::size_t start = out.size();
  out.append(frame);
  out.push_back('\n');
  if (frame.find_first_of("\r\n") == std::string_view::npos) return false;
  for (std::size_t k = start; k + 1 < out.size(); ++k) {
    if (out[k] == '\r' || out[k] == '\n') out[k] = ' ';
  }
  return true;
}

std::string describe_bad_lines(const TextReadStats& stats) {
  std::string out = std::to_string(stats.bad_total()) + " bad line" +
                    (stats.bad_total() == 1 ? "" : "s") + " (";
  const char* sep = "";
  for (std::size_t i = 0; i < stats.bad.size(); ++i) {
    if (stats.bad[i] == 0) continue;
    out += sep + std::string(to_string(static_cast<BadLine>(i))) + " " +
           std::to_string(stats.bad[i]);
    sep = ", ";
  }
  return out + "), first at line " + std::to_string(stats.first_bad_line);
}

// ---- TextCaptureStream -------------------------------------------------------------------------

TextCaptureStream::TextCaptureStream() noexcept = default;

TextCaptureStream::~TextCaptureStream() { close(); }

void TextCaptureStream::close() noexcept {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  fd_ = -1;
  owns_fd_ = false;
  eof_ = true;
  size_ = pos_ = 0;
  base_ = 0;
}

bool TextCaptureStream::open(const std::string& path, const TextReadOptions& options) {
  close();
  errno_ = 0;
  if (path == "-") return open_fd(0, {}, options);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    errno_ = errno;
    return false;
  }
  return open_fd(fd, {}, options);
}

bool TextCaptureStream::open_fd(int fd, std::string_view already_read,
                                const TextReadOptions& options) {
  close();
  errno_ = 0;
  options_ = options;
  stats_ = {};
  last_ns_ = 0;
  started_ = false;
  fd_ = fd;
  owns_fd_ = fd > 0;
  eof_ = fd < 0;
  file_size_ = 0;
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    file_size_ = static_cast<std::uint64_t>(st.st_size);
  }
  const std::size_t want = options.max_frame_bytes + kMaxLinePrefix + 2 + kTextChunk;
  if (already_read.size() > kTextChunk) {
    errno_ = EINVAL;
    close();
    return false;
  }
  if (capacity_ != want) {
    buffer_.reset(new char[want + kFramePadding]);  // not zeroed: only what is read is touched
    capacity_ = want;
  }
  std::memset(buffer_.get() + capacity_, 0, kFramePadding);
  if (!already_read.empty()) std::memcpy(buffer_.get(), already_read.data(), already_read.size());
  size_ = already_read.size();
  return true;
}

bool TextCaptureStream::refill() noexcept {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, size_ - pos_);
    base_ += pos_;
    size_ -= pos_;
    pos_ = 0;
  }
  const std::size_t room = capacity_ - size_;
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.get() + size_, room < kTextChunk ? room : kTextChunk);
    if (n > 0) {
      size_ += static_cast<std::size_t>(n);
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) errno_ = errno;
    eof_ = true;
    return false;
  }
}

bool TextCaptureStream::raw_line(std::string_view& line, bool& too_long) noexcept {
  const std::size_t limit = options_.max_frame_bytes + kMaxLinePrefix + 1;  // + a '\r'
  std::size_t scanned = 0;
  for (;;) {
    const char* begin = buffer_.get() + pos_;
    const std::size_t avail = size_ - pos_;
    if (const void* nl = std::memchr(begin + scanned, '\n', avail - scanned)) {
      const auto length = static_cast<std::size_t>(static_cast<const char*>(nl) - begin);
      line = {begin, length};
      pos_ += length + 1;
      return true;
    }
    if (avail > limit) {
      // Too long: count it and skip to the next '\n' a chunk at a time, keeping nothing.
      too_long = true;
      line = {};
      pos_ = size_;
      while (refill()) {
        const char* from = buffer_.get() + pos_;
        if (const void* nl = std::memchr(from, '\n', size_ - pos_)) {
          pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.get()) + 1;
          return true;
        }
        pos_ = size_;
      }
      return errno_ == 0;
    }
    scanned = avail;
    if (!refill()) {
      if (errno_ != 0 || size_ == pos_) return false;
      line = {buffer_.get() + pos_, size_ - pos_};  // the last line, without a '\n'
      pos_ = size_;
      return true;
    }
  }
}

bool TextCaptureStream::next_line(TextLine& out) noexcept {
  if (!started_) {
    started_ = true;
    while (size_ - pos_ < 3 && refill()) {
    }
    if (size_ - pos_ >= 3 && std::memcmp(buffer_.get() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
  }
  auto bad = [&](BadLine reason) {
    ++stats_.bad[static_cast<std::size_t>(reason)];
    if (stats_.first_bad_line == 0) stats_.first_bad_line = stats_.lines;
    out.ok = false;
    out.bad = reason;
    return true;
  };
  for (;;) {
    std::string_view line;
    bool too_long = false;
    if (errno_ != 0 || !raw_line(line, too_long)) return false;
    ++stats_.lines;
    out.number = stats_.lines;
    if (too_long) return bad(BadLine::line_too_long);
    if (!line.empty() && line.back() == '\r') ++stats_.crlf;
    const ParsedLine parsed = parse_text_line(line);
    switch (parsed.kind) {
      case LineKind::blank: ++stats_.blank; continue;
      case LineKind::bad_timestamp: return bad(BadLine::bad_timestamp);
      case LineKind::bad_source: return bad(BadLine::bad_source);
      case LineKind::timestamped:
      case LineKind::bare: break;
    }
    if (parsed.frame.size() > options_.max_frame_bytes) return bad(BadLine::line_too_long);
    if (parsed.kind == LineKind::timestamped) {
      ++stats_.timestamped;
      last_ns_ = parsed.receive_ns;
    } else {
      const std::int64_t step = options_.bare_frame_step_ns;
      if (step > 0 && last_ns_ > INT64_MAX - step) return bad(BadLine::time_overflow);
      ++stats_.bare;
      last_ns_ += step;
    }
    out.ok = true;
    out.record.receive_ns = last_ns_;
    out.record.connection = parsed.has_source ? parsed.connection : options_.connection;
    out.record.venue = parsed.has_source ? parsed.venue : Venue::unknown;
    out.record.frame = FrameView{parsed.frame.data(), parsed.frame.size()};
    return true;
  }
}

bool TextCaptureStream::next(CaptureRecord& out) noexcept {
  TextLine line;
  while (next_line(line)) {
    if (line.ok) {
      out = line.record;
      return true;
    }
  }
  return false;
}

// ---- TextCaptureWriter -------------------------------------------------------------------------

TextCaptureWriter::TextCaptureWriter(std::ostream& out) : out_(out) {
  buffer_.reserve(kWriteChunk * 2);
}

TextCaptureWriter::~TextCaptureWriter() { flush(); }

bool TextCaptureWriter::write(std::int64_t receive_ns, std::string_view frame, Venue venue,
                              std::uint32_t connection) {
  if (append_text_line(buffer_, receive_ns, frame, venue, connection)) ++newlines_replaced_;
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

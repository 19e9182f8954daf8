// CaptureWriter: buffered record encoding and POSIX file output.
#include "mde/feeds/capture/capture_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <new>

#include "mde/feeds/capture/crc32c.hpp"

namespace mde::capture {

namespace {

void encode_record_header(char* out, std::int64_t receive_ns, std::uint32_t source,
                          std::uint32_t length) noexcept {
  store_le<std::int64_t>(out, receive_ns);
  store_le<std::uint32_t>(out + 8, source);
  store_le<std::uint32_t>(out + 12, length);
}

}  // namespace

CaptureWriter::CaptureWriter() noexcept = default;

CaptureWriter::~CaptureWriter() {
  if (is_open()) (void)try_close();
}

WriteStatus CaptureWriter::fail(int err) noexcept {
  errno_ = err;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  used_ = 0;
  return WriteStatus::io_error;
}

WriteStatus CaptureWriter::open(const std::string& path, const WriterOptions& options) {
  if (is_open()) (void)try_close();
  records_ = 0;
  bytes_ = 0;
  used_ = 0;
  const std::size_t want = options.buffer_bytes < 4096 ? 4096 : options.buffer_bytes;
  if (capacity_ != want) {
    buffer_.reset(new char[want]);
    capacity_ = want;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    errno_ = errno;
    return WriteStatus::cannot_open;
  }
  header_ = FileHeader{};
  header_.flags = options.flags;
  header_.created_ns = options.created_ns;
  if (header_.created_ns < 0) {
    header_.created_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  }
  unsigned char bytes[kFileHeaderSize];
  encode_file_header(header_, bytes);
  std::memcpy(buffer_.get(), bytes, sizeof bytes);
  used_ = sizeof bytes;
  bytes_ = sizeof bytes;
  return WriteStatus::ok;
}

WriteStatus CaptureWriter::write_all(const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return WriteStatus::ok;
}

WriteStatus CaptureWriter::try_flush() noexcept {
  if (!is_open()) return WriteStatus::not_open;
  const std::size_t n = used_;
  used_ = 0;
  return write_all(buffer_.get(), n);
}

WriteStatus CaptureWriter::try_append(std::int64_t receive_ns, std::uint32_t connection,
                                      std::string_view payload, Venue venue) noexcept {
  if (!is_open()) return WriteStatus::not_open;
  if (payload.size() > kMaxPayloadBytes) return WriteStatus::payload_too_large;
  if (connection > kMaxConnection) return WriteStatus::connection_too_large;
  const std::uint32_t source = pack_source(venue, connection);
  const auto length = static_cast<std::uint32_t>(payload.size());
  const std::size_t record_size = kRecordOverhead + payload.size();

  if (record_size <= capacity_) {
    if (capacity_ - used_ < record_size) {
      if (const WriteStatus s = try_flush(); s != WriteStatus::ok) return s;
    }
    char* out = buffer_.get() + used_;
    encode_record_header(out, receive_ns, source, length);
    std::memcpy(out + kRecordHeaderSize, payload.data(), payload.size());
    // Header and payload are contiguous here, so one CRC pass covers both.
    store_le<std::uint32_t>(out + kRecordHeaderSize + payload.size(),
                            crc32c(out, kRecordHeaderSize + payload.size()));
    used_ += record_size;
  } else {
    // Larger than the buffer: header through the buffer, payload straight to the file.
    if (const WriteStatus s = try_flush(); s != WriteStatus::ok) return s;
    char head[kRecordHeaderSize];
    encode_record_header(head, receive_ns, source, length);
    char tail[kRecordTrailerSize];
    store_le<std::uint32_t>(
        tail, crc32c_extend(crc32c(head, sizeof head), payload.data(), payload.size()));
    if (const WriteStatus s = write_all(head, sizeof head); s != WriteStatus::ok) return s;
    if (const WriteStatus s = write_all(payload.data(), payload.size()); s != WriteStatus::ok) {
      return s;
    }
    if (const WriteStatus s = write_all(tail, sizeof tail); s != WriteStatus::ok) return s;
  }
  ++records_;
  bytes_ += record_size;
  return WriteStatus::ok;
}

WriteStatus CaptureWriter::try_set_flags(std::uint16_t flags) noexcept {
  if (const WriteStatus s = try_flush(); s != WriteStatus::ok) return s;
  header_.flags = flags;
  unsigned char bytes[kFileHeaderSize];
  encode_file_header(header_, bytes);
  std::size_t done = 0;
  while (done < sizeof bytes) {
    const ssize_t n = ::pwrite(fd_, bytes + done, sizeof bytes - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return WriteStatus::ok;
}

WriteStatus CaptureWriter::try_close(bool sync) noexcept {
  if (!is_open()) return WriteStatus::not_open;
  if (const WriteStatus s = try_flush(); s != WriteStatus::ok) return s;
  if (sync && ::fsync(fd_) != 0) return fail(errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    errno_ = errno;
    return WriteStatus::io_error;
  }
  return WriteStatus::ok;
}

}  // namespace mde::capture

// CaptureReader: loading (mmap with a zero-filled padding tail, or a heap copy) and the record walk.
#include "mde/feeds/capture/capture_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <utility>

#include "mde/feeds/capture/crc32c.hpp"

namespace mde::capture {

namespace {

// Closes a file descriptor on scope exit (open() has several early returns).
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

char* allocate_padded(std::size_t size) {
  char* p = new char[size + kFramePadding];
  std::memset(p + size, 0, kFramePadding);
  return p;
}

}  // namespace

long read_head(int fd, char* out, std::size_t n) noexcept {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, out + got, n - got);
    if (r > 0) {
      got += static_cast<std::size_t>(r);
    } else if (r == 0) {
      break;
    } else if (errno != EINTR) {
      return -1;
    }
  }
  return static_cast<long>(got);
}

CaptureReader::CaptureReader() noexcept = default;

CaptureReader::~CaptureReader() { close(); }

CaptureReader::CaptureReader(CaptureReader&& other) noexcept { *this = std::move(other); }

CaptureReader& CaptureReader::operator=(CaptureReader&& other) noexcept {
  if (this != &other) {
    close();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    base_ = std::exchange(other.base_, 0);
    file_size_ = std::exchange(other.file_size_, 0);
    fd_ = std::exchange(other.fd_, -1);
    at_eof_ = std::exchange(other.at_eof_, true);
    capacity_ = std::exchange(other.capacity_, 0);
    map_ = std::exchange(other.map_, nullptr);
    map_bytes_ = std::exchange(other.map_bytes_, 0);
    heap_ = std::exchange(other.heap_, nullptr);
    position_ = other.position_;
    index_ = other.index_;
    stop_ = other.stop_;
    header_ = other.header_;
    header_error_ = other.header_error_;
    errno_ = other.errno_;
    verify_ = other.verify_;
  }
  return *this;
}

void CaptureReader::close() noexcept {
  if (map_ != nullptr) ::munmap(map_, map_bytes_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  at_eof_ = true;
  capacity_ = 0;
  base_ = 0;
  file_size_ = 0;
  delete[] heap_;
  map_ = nullptr;
  map_bytes_ = 0;
  heap_ = nullptr;
  data_ = nullptr;
  size_ = 0;
  position_ = 0;
  index_ = 0;
  stop_ = {};
}

OpenError CaptureReader::open(const std::string& path, const ReaderOptions& options) {
  close();
  header_error_ = HeaderError::ok;
  errno_ = 0;
  verify_ = options.verify_checksums;
  FdGuard fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) {
    errno_ = errno;
    return OpenError::cannot_open;
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) {
    errno_ = errno;
    return OpenError::cannot_open;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  file_size_ = S_ISREG(st.st_mode) ? size : 0;

  if (options.load == LoadMode::stream) {
    fd_ = std::exchange(fd.fd, -1);
    return start_stream({});
  }

  if (options.load == LoadMode::map && S_ISREG(st.st_mode) && size > 0) {
    // Reserve file + padding as anonymous zero pages, then map the file over the front. The
    // padding is whatever lies past the file's last byte: zeros in its last page, then the
    // anonymous pages, so it is readable even when the file size is a multiple of the page size.
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t total = (size + kFramePadding + page - 1) / page * page;
    void* base = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED) {
      void* file =
          ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd.fd, 0);
      if (file != MAP_FAILED) {
        map_ = base;
        map_bytes_ = total;
        data_ = static_cast<const char*>(base);
        size_ = size;
        return validate();
      }
      ::munmap(base, total);
    }
    // A file system that cannot map: fall through and copy.
  }

  // Copy: read until EOF (works for pipes and special files too).
  std::size_t capacity = size > 0 ? size : 1u << 16;
  char* buf = allocate_padded(capacity);
  std::size_t used = 0;
  for (;;) {
    if (used == capacity) {
      char* bigger = allocate_padded(capacity * 2);
      std::memcpy(bigger, buf, used);
      delete[] buf;
      buf = bigger;
      capacity *= 2;
    }
    const ssize_t n = ::read(fd.fd, buf + used, capacity - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      delete[] buf;
      return OpenError::cannot_open;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  std::memset(buf + used, 0, kFramePadding);  // padding directly after the data
  heap_ = buf;
  data_ = buf;
  size_ = used;
  file_size_ = used;
  return validate();
}

OpenError CaptureReader::open_fd(int fd, std::string_view already_read,
                                 const ReaderOptions& options) {
  close();
  header_error_ = HeaderError::ok;
  errno_ = 0;
  verify_ = options.verify_checksums;
  fd_ = fd;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) file_size_ = static_cast<std::uint64_t>(st.st_size);
  return start_stream(already_read);
}

OpenError CaptureReader::start_stream(std::string_view already_read) {
  // Room for the largest record plus a chunk: whatever the file size, this is all it holds.
  capacity_ = kRecordOverhead + kMaxPayloadBytes + kStreamChunk;
  if (already_read.size() > kStreamChunk) {
    errno_ = EINVAL;
    close();
    return OpenError::cannot_open;
  }
  heap_ = allocate_padded(capacity_);
  if (!already_read.empty()) std::memcpy(heap_, already_read.data(), already_read.size());
  data_ = heap_;
  size_ = already_read.size();
  base_ = 0;
  at_eof_ = false;
  position_ = 0;
  fill(kMaxHeaderSize);  // the whole header, whatever its header_size, or the whole file
  if (errno_ != 0) {
    close();
    return OpenError::cannot_open;
  }
  return validate();
}

void CaptureReader::fill(std::size_t need) noexcept {
  const std::size_t offset = static_cast<std::size_t>(position_ - base_);
  if (size_ - offset >= need || at_eof_) return;
  // Slide what is left of the window to the front, then read whole chunks behind it.
  if (offset > 0) {
    std::memmove(heap_, heap_ + offset, size_ - offset);
    size_ -= offset;
    base_ = position_;
  }
  // Whole chunks (one read(2) each from a regular file) until the record fits; a pipe returns
  // less per call, so this loops, but never waits for more than the record needs.
  while (size_ - (position_ - base_) < need) {
    const std::size_t room = capacity_ - size_;
    const ssize_t n = ::read(fd_, heap_ + size_, room < kStreamChunk ? room : kStreamChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      at_eof_ = true;
      return;
    }
    if (n == 0) {
      at_eof_ = true;
      return;
    }
    size_ += static_cast<std::size_t>(n);
  }
}

OpenError CaptureReader::open_bytes(std::string_view file_bytes, const ReaderOptions& options) {
  close();
  header_error_ = HeaderError::ok;
  errno_ = 0;
  verify_ = options.verify_checksums;
  heap_ = allocate_padded(file_bytes.size());
  if (!file_bytes.empty()) std::memcpy(heap_, file_bytes.data(), file_bytes.size());
  data_ = heap_;
  size_ = file_bytes.size();
  file_size_ = size_;
  return validate();
}

OpenError CaptureReader::validate() noexcept {
  header_error_ = decode_file_header({data_, size_}, header_);
  if (header_error_ != HeaderError::ok) {
    close();
    return OpenError::bad_header;
  }
  rewind();
  return OpenError::ok;
}

void CaptureReader::rewind() noexcept {
  index_ = 0;
  stop_ = {};
  position_ = header_.header_size;
  if (fd_ < 0 || base_ == 0) return;  // the whole file, or its start, is in the buffer
  // Stream mode past the first window: read again from the first record.
  size_ = 0;
  base_ = position_;
  at_eof_ = false;
  if (::lseek(fd_, static_cast<off_t>(position_), SEEK_SET) < 0) {
    errno_ = errno;
    at_eof_ = true;
    (void)halt(StopReason::io_error);
  }
}

bool CaptureReader::halt(StopReason reason) noexcept {
  stop_ = {reason, position_, index_};
  return false;
}

bool CaptureReader::next(CaptureRecord& out) noexcept {
  if (stop_.reason != StopReason::none) return false;
  std::size_t left = size_ - static_cast<std::size_t>(position_ - base_);
  if (left < kRecordHeaderSize && !at_eof_) {
    fill(kRecordHeaderSize);
    left = size_ - static_cast<std::size_t>(position_ - base_);
  }
  if (left == 0) {
    if (errno_ != 0) return halt(StopReason::io_error);
    // A regular file that ends before the size it had at open was cut while being read.
    if (fd_ >= 0 && position_ < file_size_) return halt(StopReason::file_shrank);
    return halt(StopReason::end_of_file);
  }
  if (left < kRecordHeaderSize) {
    return halt(errno_ != 0 ? StopReason::io_error : StopReason::truncated_header);
  }
  const char* p = data_ + (position_ - base_);
  const auto length = load_le<std::uint32_t>(p + 12);
  // Bound the length before using it for anything, even pointer arithmetic.
  if (length > kMaxPayloadBytes) return halt(StopReason::length_too_large);
  const std::size_t record_size = kRecordOverhead + length;
  if (left < record_size && !at_eof_) {
    fill(record_size);  // may slide the window: recompute the record's address
    left = size_ - static_cast<std::size_t>(position_ - base_);
    p = data_ + (position_ - base_);
  }
  if (left < record_size) {
    return halt(errno_ != 0 ? StopReason::io_error : StopReason::truncated_record);
  }
  if (verify_ && load_le<std::uint32_t>(p + kRecordHeaderSize + length) !=
                     crc32c(p, kRecordHeaderSize + length)) {
    return halt(StopReason::bad_checksum);
  }
  out.receive_ns = load_le<std::int64_t>(p);
  const auto source = load_le<std::uint32_t>(p + 8);
  if (header_.version >= 2) {
    out.connection = source_connection(source);
    out.venue = source_venue(source);
  } else {
    out.connection = source;  // version 1: the whole field is the connection; no venue
    out.venue = Venue::unknown;
  }
  out.frame = FrameView{p + kRecordHeaderSize, length};
  position_ += record_size;
  ++index_;
  return true;
}

}  // namespace mde::capture

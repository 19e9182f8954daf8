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

CaptureReader::CaptureReader() noexcept = default;

CaptureReader::~CaptureReader() { close(); }

CaptureReader::CaptureReader(CaptureReader&& other) noexcept { *this = std::move(other); }

CaptureReader& CaptureReader::operator=(CaptureReader&& other) noexcept {
  if (this != &other) {
    close();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
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
  return validate();
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
  position_ = header_.header_size;
  index_ = 0;
  stop_ = {};
}

bool CaptureReader::halt(StopReason reason) noexcept {
  stop_ = {reason, position_, index_};
  return false;
}

bool CaptureReader::next(CaptureRecord& out) noexcept {
  if (stop_.reason != StopReason::none) return false;
  const std::size_t left = size_ - position_;
  if (left == 0) return halt(StopReason::end_of_file);
  if (left < kRecordHeaderSize) return halt(StopReason::truncated_header);
  const char* p = data_ + position_;
  const auto length = load_le<std::uint32_t>(p + 12);
  // Bound the length before using it for anything, even pointer arithmetic.
  if (length > kMaxPayloadBytes) return halt(StopReason::length_too_large);
  const std::size_t record_size = kRecordOverhead + length;
  if (left < record_size) return halt(StopReason::truncated_record);
  if (verify_ && load_le<std::uint32_t>(p + kRecordHeaderSize + length) !=
                     crc32c(p, kRecordHeaderSize + length)) {
    return halt(StopReason::bad_checksum);
  }
  out.receive_ns = load_le<std::int64_t>(p);
  out.connection = load_le<std::uint32_t>(p + 8);
  out.frame = FrameView{p + kRecordHeaderSize, length};
  position_ += record_size;
  ++index_;
  return true;
}

}  // namespace mde::capture

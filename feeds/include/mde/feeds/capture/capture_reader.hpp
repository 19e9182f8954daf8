// CaptureReader: iteration over a native capture file (format in capture_format.hpp), versions
// 1 and 2.
//
// Design: by default (LoadMode::stream) open() keeps the file open and next() reads it with
// read(2) into one owned buffer in chunks of kStreamChunk, so memory is bounded by the largest
// record plus a chunk whatever the file size, pipes and FIFOs work, and a file truncated or
// rewritten while it is being read is just a torn tail or a bad checksum (a mapping would die
// with SIGBUS). LoadMode::map (mmap, prefaulted) and LoadMode::copy (the whole file in the heap)
// are kept for measurements and for tools that want the whole file in memory; a mapped file
// must not be truncated while it is open.
// next() walks the records in place: each CaptureRecord's FrameView points into the buffer, and
// the bytes after a frame (its checksum and what follows, then the buffer's padding) are what a
// SIMD parser may read past the end. Every record's length is bounded and its CRC32C checked
// before it is delivered; the first torn or damaged record ends the iteration and stop() says
// where and why. A bad file header is an error value from open().
//
// Thread: one owner at a time (typically a replay thread). open() allocates or maps (setup);
// next() never allocates and never throws; in stream mode it blocks in read(2) once per chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

enum class OpenError : std::uint8_t {
  ok,
  cannot_open,  // open(2)/fstat(2)/mmap(2)/read(2) failed; see CaptureReader::last_errno()
  bad_header,   // see CaptureReader::header_error()
};

[[nodiscard]] constexpr std::string_view to_string(OpenError e) noexcept {
  switch (e) {
    case OpenError::ok: return "ok";
    case OpenError::cannot_open: return "cannot_open";
    case OpenError::bad_header: return "bad_header";
  }
  return "?";
}

enum class LoadMode : std::uint8_t {
  stream,  // read(2) in bounded chunks as next() goes; pipes work; immune to truncation
  map,     // mmap the whole file, prefaulted (MAP_POPULATE); SIGBUS if it is truncated meanwhile
  copy,    // read the whole file into a heap buffer first; immune to the file changing underneath
};

// Stream mode reads this much per read(2) (and keeps at most this plus one record buffered).
inline constexpr std::size_t kStreamChunk = 1u << 20;

struct ReaderOptions {
  LoadMode load = LoadMode::stream;
  // Off only for measuring what the checksum costs; damaged payloads are then delivered.
  bool verify_checksums = true;
};

// Reads up to `n` bytes from `fd` (looping over short reads, as from a pipe), for recognising a
// capture's form by its first bytes without seeking: the caller hands them to
// CaptureReader::open_fd or TextCaptureStream::open_fd. Returns the count (less than `n` only at
// the end of the input), or -1 with errno set.
[[nodiscard]] long read_head(int fd, char* out, std::size_t n) noexcept;

class CaptureReader {
 public:
  CaptureReader() noexcept;
  ~CaptureReader();
  CaptureReader(CaptureReader&& other) noexcept;
  CaptureReader& operator=(CaptureReader&& other) noexcept;
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // Opens `path` and validates its header. Setup: allocates the chunk buffer (stream), or maps or
  // allocates the whole file (map, copy).
  [[nodiscard]] OpenError open(const std::string& path, const ReaderOptions& options = {});
  // Stream mode over an already open descriptor (a pipe, a FIFO, stdin), which the reader then
  // owns and closes. `already_read` holds bytes a caller consumed from it while probing the
  // format (at most a few KiB); they are read first.
  [[nodiscard]] OpenError open_fd(int fd, std::string_view already_read = {},
                                  const ReaderOptions& options = {});
  // Same, from bytes already in memory (copied into an owned padded buffer). For tests and tools.
  [[nodiscard]] OpenError open_bytes(std::string_view file_bytes,
                                     const ReaderOptions& options = {});
  void close() noexcept;

  // The next good record, or false at the end of the good data; stop() then says why.
  // Never allocates.
  [[nodiscard]] bool next(CaptureRecord& out) noexcept;

  // Back to the first record (stop() is reset). In stream mode this needs a seekable file; on a
  // pipe the reader stops with StopReason::io_error.
  void rewind() noexcept;

  [[nodiscard]] const CaptureStop& stop() const noexcept { return stop_; }
  [[nodiscard]] const FileHeader& header() const noexcept { return header_; }
  [[nodiscard]] HeaderError header_error() const noexcept { return header_error_; }
  [[nodiscard]] int last_errno() const noexcept { return errno_; }
  [[nodiscard]] bool is_open() const noexcept { return data_ != nullptr; }
  // The file's size when opened (0 for a pipe or FIFO, whose size is unknown).
  [[nodiscard]] std::uint64_t file_size() const noexcept { return file_size_; }
  // Byte offset of the next record to be read.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }
  // Records delivered since open/rewind.
  [[nodiscard]] std::uint64_t records_read() const noexcept { return index_; }
  // map and copy modes: the whole file (header included); kFramePadding readable bytes follow
  // it. Stream mode: the bytes buffered now, starting at file offset buffer_offset().
  [[nodiscard]] std::string_view bytes() const noexcept { return {data_, size_}; }
  [[nodiscard]] std::uint64_t buffer_offset() const noexcept { return base_; }

 private:
  [[nodiscard]] bool halt(StopReason reason) noexcept;
  [[nodiscard]] OpenError validate() noexcept;
  [[nodiscard]] OpenError start_stream(std::string_view already_read);
  // Stream mode: makes at least `need` bytes from position_ available unless the input ends
  // first (or fails: then errno_ is set). Never allocates.
  void fill(std::size_t need) noexcept;

  const char* data_ = nullptr;
  std::size_t size_ = 0;       // bytes valid at data_
  std::uint64_t base_ = 0;     // file offset of data_[0]
  std::uint64_t file_size_ = 0;
  int fd_ = -1;                // stream mode: the open file
  bool at_eof_ = true;         // stream mode: read(2) returned 0 (map/copy: always)
  std::size_t capacity_ = 0;   // stream mode: heap_ holds capacity_ + kFramePadding bytes
  // Ownership of data_: a mapping of map_bytes_ bytes, or a heap block (copy and stream modes).
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  char* heap_ = nullptr;

  std::size_t position_ = 0;
  std::uint64_t index_ = 0;
  CaptureStop stop_{};
  FileHeader header_{};
  HeaderError header_error_ = HeaderError::ok;
  int errno_ = 0;
  bool verify_ = true;
};

}  // namespace mde::capture

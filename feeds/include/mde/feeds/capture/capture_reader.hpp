// CaptureReader: zero-copy iteration over a native capture file (format in capture_format.hpp).
//
// Design: open() brings the whole file into one read-only buffer, either mapped (default; the
// pages are prefaulted) or copied into the heap, with at least kFramePadding readable bytes after
// the last byte. next() then walks the records in place: each CaptureRecord's FrameView points
// into that buffer, and the bytes after a frame (its checksum and the next record, or the final
// padding) are what a SIMD parser may read past the end. Every record's length is bounded and its
// CRC32C checked before it is delivered; the first torn or damaged record ends the iteration and
// stop() says where and why. A bad file header is an error value from open().
//
// Thread: one owner at a time (typically a replay thread). open() allocates or maps (setup);
// next() never allocates, never throws and never blocks on I/O except for page faults when
// prefaulting was turned off. A mapped file must not be truncated while it is open (SIGBUS).
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
  map,   // mmap the file, prefaulted (MAP_POPULATE); no copy
  copy,  // read the file into a heap buffer; immune to the file changing underneath
};

struct ReaderOptions {
  LoadMode load = LoadMode::map;
  // Off only for measuring what the checksum costs; damaged payloads are then delivered.
  bool verify_checksums = true;
};

class CaptureReader {
 public:
  CaptureReader() noexcept;
  ~CaptureReader();
  CaptureReader(CaptureReader&& other) noexcept;
  CaptureReader& operator=(CaptureReader&& other) noexcept;
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // Loads `path` and validates its header. Setup: maps or allocates the whole file.
  [[nodiscard]] OpenError open(const std::string& path, const ReaderOptions& options = {});
  // Same, from bytes already in memory (copied into an owned padded buffer). For tests and tools.
  [[nodiscard]] OpenError open_bytes(std::string_view file_bytes,
                                     const ReaderOptions& options = {});
  void close() noexcept;

  // The next good record, or false at the end of the good data; stop() then says why.
  // Never allocates.
  [[nodiscard]] bool next(CaptureRecord& out) noexcept;

  // Back to the first record (stop() is reset).
  void rewind() noexcept;

  [[nodiscard]] const CaptureStop& stop() const noexcept { return stop_; }
  [[nodiscard]] const FileHeader& header() const noexcept { return header_; }
  [[nodiscard]] HeaderError header_error() const noexcept { return header_error_; }
  [[nodiscard]] int last_errno() const noexcept { return errno_; }
  [[nodiscard]] bool is_open() const noexcept { return data_ != nullptr; }
  [[nodiscard]] std::uint64_t file_size() const noexcept { return size_; }
  // Byte offset of the next record to be read.
  [[nodiscard]] std::uint64_t position() const noexcept { return position_; }
  // Records delivered since open/rewind.
  [[nodiscard]] std::uint64_t records_read() const noexcept { return index_; }
  // The whole file (header included); kFramePadding readable bytes follow it.
  [[nodiscard]] std::string_view bytes() const noexcept { return {data_, size_}; }

 private:
  [[nodiscard]] bool halt(StopReason reason) noexcept;
  [[nodiscard]] OpenError validate() noexcept;

  const char* data_ = nullptr;
  std::size_t size_ = 0;
  // Ownership of data_: a mapping of map_bytes_ bytes, or a heap block.
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

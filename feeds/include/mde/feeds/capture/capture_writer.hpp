// CaptureWriter: appends records to a native capture file (format in capture_format.hpp).
//
// Design: records are encoded into one owned buffer (header, payload, CRC32C) and written to the
// file when the buffer fills, on try_flush() and on try_close(); a payload larger than the buffer
// goes straight to the file. Nothing is written from a background thread and nothing is synced
// to disk unless asked (try_close(sync = true)), so a crash can leave a torn tail, which readers
// detect and stop before.
//
// Thread: one owner (a recorder or tool thread), never the decode hot path. open() allocates the
// buffer (setup); try_append() never allocates but may block in write(2) when the buffer fills,
// which is why it and the other calls that reach the file are named try_. Errors are values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mde/feeds/capture/capture_format.hpp"

namespace mde::capture {

enum class WriteStatus : std::uint8_t {
  ok,
  not_open,
  cannot_open,        // open(2) failed; see CaptureWriter::last_errno()
  payload_too_large,  // above kMaxPayloadBytes; nothing was written
  connection_too_large,  // a connection id above kMaxConnection (24 bits); nothing was written
  io_error,           // write(2)/fsync(2)/close(2) failed; see last_errno(). The writer is closed.
};

[[nodiscard]] constexpr std::string_view to_string(WriteStatus s) noexcept {
  switch (s) {
    case WriteStatus::ok: return "ok";
    case WriteStatus::not_open: return "not_open";
    case WriteStatus::cannot_open: return "cannot_open";
    case WriteStatus::payload_too_large: return "payload_too_large";
    case WriteStatus::connection_too_large: return "connection_too_large";
    case WriteStatus::io_error: return "io_error";
  }
  return "?";
}

struct WriterOptions {
  std::uint16_t flags = 0;        // CaptureFlag bits for the header
  std::int64_t created_ns = -1;   // header creation time; -1 = now (wall clock), 0 = unknown
  std::size_t buffer_bytes = 1u << 20;
};

class CaptureWriter {
 public:
  CaptureWriter() noexcept;
  ~CaptureWriter();  // closes (flushing, best effort) if still open
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  // Creates or truncates `path` and writes the file header (buffered). Allocates the buffer.
  [[nodiscard]] WriteStatus open(const std::string& path, const WriterOptions& options = {});

  // Appends one record (format version 2: the venue is recorded with the connection id, which
  // must fit 24 bits). Never allocates; may block writing a full buffer to the file.
  [[nodiscard]] WriteStatus try_append(std::int64_t receive_ns, std::uint32_t connection,
                                       std::string_view payload,
                                       Venue venue = Venue::unknown) noexcept;

  // Writes everything buffered to the file (not to disk: no fsync).
  [[nodiscard]] WriteStatus try_flush() noexcept;

  // Writes everything buffered, then rewrites the file header with `flags` (a recorder marks a
  // capture incomplete at the end). Control path: not per record.
  [[nodiscard]] WriteStatus try_set_flags(std::uint16_t flags) noexcept;

  // Flushes, optionally fsyncs, and closes. Safe to call when not open (returns not_open).
  [[nodiscard]] WriteStatus try_close(bool sync = false) noexcept;

  [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }
  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  // File bytes so far, header included, buffered bytes included.
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] int last_errno() const noexcept { return errno_; }

 private:
  [[nodiscard]] WriteStatus write_all(const char* data, std::size_t size) noexcept;
  [[nodiscard]] WriteStatus fail(int err) noexcept;

  FileHeader header_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  int fd_ = -1;
  int errno_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace mde::capture

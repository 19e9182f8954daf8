// The native capture format (.mdecap): what a recorded feed looks like on disk.
//
// # Capture files
//
// A capture is the exact sequence of WebSocket frames a feed received, each with the time it was
// read off the socket and the connection it came from, so that a session can be replayed later
// through the same decoder at recorded pace or flat out. Two forms exist:
//
// * native (`.mdecap`, this file): binary, checksummed per record, read in bounded chunks (or
//   mapped whole on request). This is what `mde gen` writes and what replay reads.
// * text (`.jsonl` / `.txt`, text_capture.hpp): one frame per line, `<receive_ns>\t<frame>`,
//   `<receive_ns>\t<venue>:<connection>\t<frame>` or a bare frame. For humans, diffs and
//   hand-written test input.
//
// `mde capture convert IN OUT` converts either way (the input's form is recognised by its magic;
// the output's by its extension) and `mde capture info FILE` reports what a file holds and where
// a damaged one stops.
//
// ## Layout (version 2; every integer little-endian, no padding, no alignment)
//
// File header, kFileHeaderSize = 32 bytes:
//
//   offset size  field
//        0    8  magic        89 4D 44 45 43 41 50 0A  ("\x89MDECAP\n"; the high bit and the
//                             newline catch 7-bit and newline-translating transfers, as in PNG)
//       8    2  version      kFormatVersion (2); readers also read version 1 (below) and refuse
//                             any other
//      10    2  flags        CaptureFlag bits; informational only
//      12    4  header_size  offset of the first record (32 now; larger lets a later version
//                             append header fields that old readers skip)
//      16    8  created_ns   when the file was started, ns since the Unix epoch (0 = unknown;
//                             the generator writes its synthetic start time so output is
//                             byte-for-byte deterministic)
//      24    4  reserved     0
//      28    4  header_crc   CRC32C of bytes [0, 28)
//
// Then records, back to back until the end of the file, kRecordOverhead + payload_len bytes each:
//
//        0    8  receive_ns   i64, when the frame was read, ns since the Unix epoch
//        8    4  source       u32: venue << 24 | connection. The high 8 bits are the mde::Venue
//                             value (0 = unknown), the low 24 bits the feed connection id
//                             (at most kMaxConnection). A venue value this reader does not know
//                             reads as unknown.
//       12    4  payload_len  u32, at most kMaxPayloadBytes (16 MiB)
//       16    n  payload      the frame's bytes exactly as received
//     16+n    4  record_crc   CRC32C of bytes [0, 16 + n) of this record (header and payload)
//
// Version 1 (the first release) has the same layout except that bytes 8..12 of a record are the
// whole u32 connection id and no venue is recorded: its records read with Venue::unknown (the
// decoder recognises the venue from the frame's envelope). Writers always write version 2.
//
// ## Damage
//
// A writer that dies mid-record leaves a torn tail: a partial record header or a partial payload.
// Disk or transfer damage shows as a bad checksum or an absurd length. Readers check every record
// and stop at the first one that is incomplete or fails its checksum, reporting the byte offset
// and index of that record and why (CaptureStop); everything before it is good and is delivered.
// A length above kMaxPayloadBytes is refused before anything is sized from it, so a corrupt length
// can never make a reader allocate. A bad *file header* is a setup error returned by open().
//
// Integers are read and written with memcpy (never through a struct overlay), so records need no
// alignment and the layout does not depend on the compiler.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "mde/core/frame.hpp"
#include "mde/core/venue.hpp"

namespace mde::capture {

inline constexpr unsigned char kFileMagic[8] = {0x89, 'M', 'D', 'E', 'C', 'A', 'P', '\n'};
inline constexpr std::uint16_t kFormatVersion = 2;
inline constexpr std::uint16_t kOldestFormatVersion = 1;  // still read: no venue in its records
inline constexpr std::size_t kFileHeaderSize = 32;
inline constexpr std::size_t kMaxHeaderSize = 4096;  // a larger header_size is treated as damage
inline constexpr std::size_t kRecordHeaderSize = 16;
inline constexpr std::size_t kRecordTrailerSize = 4;
inline constexpr std::size_t kRecordOverhead = kRecordHeaderSize + kRecordTrailerSize;
inline constexpr std::uint32_t kMaxPayloadBytes = 16u << 20;
inline constexpr unsigned kConnectionBits = 24;
inline constexpr std::uint32_t kMaxConnection = (1u << kConnectionBits) - 1;

// Header flag bits: where the file came from. Nothing depends on them.
enum CaptureFlag : std::uint16_t {
  kFlagSynthetic = 1u << 0,  // produced by `mde gen`
  kFlagFromText = 1u << 1,   // converted from a text capture
  kFlagIncomplete = 1u << 2,  // a live recording that lost frames (its ring was full)
};

// ---- Little-endian field access (memcpy; byte-swapped only on a big-endian host) ---------------

namespace detail {
template <class T>
[[nodiscard]] inline T to_little(T v) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    unsigned char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    for (std::size_t i = 0; i < sizeof v / 2; ++i) {
      const unsigned char t = b[i];
      b[i] = b[sizeof v - 1 - i];
      b[sizeof v - 1 - i] = t;
    }
    std::memcpy(&v, b, sizeof v);
  }
  return v;
}
}  // namespace detail

template <class T>
[[nodiscard]] inline T load_le(const void* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  return detail::to_little(v);
}

template <class T>
inline void store_le(void* p, T v) noexcept {
  v = detail::to_little(v);
  std::memcpy(p, &v, sizeof v);
}

// ---- File header -------------------------------------------------------------------------------

struct FileHeader {
  std::uint16_t version = kFormatVersion;
  std::uint16_t flags = 0;
  std::uint32_t header_size = kFileHeaderSize;
  std::int64_t created_ns = 0;
};

enum class HeaderError : std::uint8_t {
  ok,
  too_short,            // fewer than kFileHeaderSize bytes (an empty file, or a torn header)
  bad_magic,            // not a native capture (perhaps a text one)
  unsupported_version,  // a native capture of a version this reader does not know
  bad_header_crc,       // the header is damaged
  bad_header_size,      // header_size below kFileHeaderSize, above kMaxHeaderSize or past EOF
};

[[nodiscard]] constexpr std::string_view to_string(HeaderError e) noexcept {
  switch (e) {
    case HeaderError::ok: return "ok";
    case HeaderError::too_short: return "too_short";
    case HeaderError::bad_magic: return "bad_magic";
    case HeaderError::unsupported_version: return "unsupported_version";
    case HeaderError::bad_header_crc: return "bad_header_crc";
    case HeaderError::bad_header_size: return "bad_header_size";
  }
  return "?";
}

// True when `bytes` starts with the native magic (used to tell native from text input).
[[nodiscard]] inline bool has_native_magic(std::string_view bytes) noexcept {
  return bytes.size() >= sizeof kFileMagic &&
         std::memcmp(bytes.data(), kFileMagic, sizeof kFileMagic) == 0;
}

// Writes the 32-byte header (with its CRC) into `out`.
void encode_file_header(const FileHeader& header, unsigned char (&out)[kFileHeaderSize]) noexcept;

// Validates and decodes the header at the start of a file of `file_size` bytes.
[[nodiscard]] HeaderError decode_file_header(std::string_view file_bytes,
                                             FileHeader& out) noexcept;

// ---- Records -----------------------------------------------------------------------------------

// A record's u32 source field (version 2): venue in the high 8 bits, connection in the low 24.
// The caller keeps connection <= kMaxConnection (CaptureWriter refuses larger ones).
[[nodiscard]] constexpr std::uint32_t pack_source(Venue venue, std::uint32_t connection) noexcept {
  return static_cast<std::uint32_t>(venue) << kConnectionBits | (connection & kMaxConnection);
}

[[nodiscard]] constexpr Venue source_venue(std::uint32_t source) noexcept {
  const std::uint32_t v = source >> kConnectionBits;
  return v < kVenueCount ? static_cast<Venue>(v) : Venue::unknown;
}

[[nodiscard]] constexpr std::uint32_t source_connection(std::uint32_t source) noexcept {
  return source & kMaxConnection;
}

// One delivered record. `frame` points into the reader's buffer (no copy per record) and stays
// valid, with kFramePadding readable bytes after it, until the reader's next call to next() (or
// its close, reopen or destruction).
struct CaptureRecord {
  std::int64_t receive_ns;
  std::uint32_t connection;
  FrameView frame;
  Venue venue = Venue::unknown;  // unknown: recognise the venue from the frame's envelope
};

// Why a reader stopped. Everything before `offset` was delivered and is good.
enum class StopReason : std::uint8_t {
  none,              // still reading
  end_of_file,       // clean end: the last record ends exactly at the end of the file
  truncated_header,  // torn tail: fewer than kRecordHeaderSize bytes left
  truncated_record,  // torn tail: the payload or checksum runs past the end of the file
  length_too_large,  // payload_len above kMaxPayloadBytes: damage, never allocated for
  bad_checksum,      // the record's CRC32C does not match: damage
  io_error,          // read(2) failed (stream mode); see CaptureReader::last_errno()
  file_shrank,       // the input ended at a record boundary before the size it had when opened:
                     // it was truncated while being read (stream mode)
};

[[nodiscard]] constexpr std::string_view to_string(StopReason r) noexcept {
  switch (r) {
    case StopReason::none: return "none";
    case StopReason::end_of_file: return "end_of_file";
    case StopReason::truncated_header: return "truncated_header";
    case StopReason::truncated_record: return "truncated_record";
    case StopReason::length_too_large: return "length_too_large";
    case StopReason::bad_checksum: return "bad_checksum";
    case StopReason::io_error: return "io_error";
    case StopReason::file_shrank: return "file_shrank";
  }
  return "?";
}

struct CaptureStop {
  StopReason reason = StopReason::none;
  std::uint64_t offset = 0;        // byte offset of the first record not delivered (or EOF)
  std::uint64_t record_index = 0;  // its index, i.e. how many records were delivered

  [[nodiscard]] constexpr bool clean() const noexcept { return reason == StopReason::end_of_file; }
};

}  // namespace mde::capture

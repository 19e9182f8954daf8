// File header encoding and validation for the native capture format (see capture_format.hpp).
#include "mde/feeds/capture/capture_format.hpp"

#include "mde/feeds/capture/crc32c.hpp"

namespace mde::capture {

namespace {
constexpr std::size_t kHeaderCrcOffset = 28;
}  // namespace

void encode_file_header(const FileHeader& header,
                        unsigned char (&out)[kFileHeaderSize]) noexcept {
  std::memcpy(out, kFileMagic, sizeof kFileMagic);
  store_le<std::uint16_t>(out + 8, header.version);
  store_le<std::uint16_t>(out + 10, header.flags);
  store_le<std::uint32_t>(out + 12, static_cast<std::uint32_t>(kFileHeaderSize));
  store_le<std::int64_t>(out + 16, header.created_ns);
  store_le<std::uint32_t>(out + 24, 0);
  store_le<std::uint32_t>(out + kHeaderCrcOffset, crc32c(out, kHeaderCrcOffset));
}

HeaderError decode_file_header(std::string_view file_bytes, FileHeader& out) noexcept {
  // Magic first: a short text file should read as "not native", not as "torn".
  if (file_bytes.size() >= sizeof kFileMagic && !has_native_magic(file_bytes)) {
    return HeaderError::bad_magic;
  }
  if (file_bytes.size() < kFileHeaderSize) {
    return file_bytes.size() < sizeof kFileMagic && !file_bytes.empty() &&
                   std::memcmp(file_bytes.data(), kFileMagic, file_bytes.size()) != 0
               ? HeaderError::bad_magic
               : HeaderError::too_short;
  }
  const char* p = file_bytes.data();
  if (load_le<std::uint32_t>(p + kHeaderCrcOffset) != crc32c(p, kHeaderCrcOffset)) {
    return HeaderError::bad_header_crc;
  }
  FileHeader h;
  h.version = load_le<std::uint16_t>(p + 8);
  h.flags = load_le<std::uint16_t>(p + 10);
  h.header_size = load_le<std::uint32_t>(p + 12);
  h.created_ns = load_le<std::int64_t>(p + 16);
  if (h.version < kOldestFormatVersion || h.version > kFormatVersion) {
    return HeaderError::unsupported_version;
  }
  if (h.header_size < kFileHeaderSize || h.header_size > kMaxHeaderSize ||
      h.header_size > file_bytes.size()) {
    return HeaderError::bad_header_size;
  }
  out = h;
  return HeaderError::ok;
}

}  // namespace mde::capture

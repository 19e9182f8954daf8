// CRC32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of capture records.
//
// Chosen because x86 has an instruction for it (SSE4.2 `crc32`), which checks records far faster
// than replay can use them, and because it detects every burst error up to 32 bits. The hardware
// path is compiled in when the build targets SSE4.2 (-march=native on this project's machines);
// otherwise a table-driven slicing-by-8 version is used. Both give identical results.
//
// Thread: any. Never allocates, never throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mde::capture {

// CRC32C of [data, data + size). crc32c("123456789") == 0xE3069283.
[[nodiscard]] std::uint32_t crc32c(const void* data, std::size_t size) noexcept;

// Continues a CRC: crc32c_extend(crc32c(a), b) == crc32c(a followed by b).
[[nodiscard]] std::uint32_t crc32c_extend(std::uint32_t crc, const void* data,
                                          std::size_t size) noexcept;

// The table-driven version, always compiled (tests compare it with the hardware path).
[[nodiscard]] std::uint32_t crc32c_portable_extend(std::uint32_t crc, const void* data,
                                                   std::size_t size) noexcept;

// True when crc32c() uses the SSE4.2 instruction.
[[nodiscard]] bool crc32c_is_hardware() noexcept;

}  // namespace mde::capture

// Server-side WebSocket framing for the simulator's batched writes (SimOptions::batch_writes):
// several messages encoded back to back and handed to TLS in one write, which Beast's one-message
// async_write cannot do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mde::sim {

// Appends `payload` as one final, unmasked text frame (RFC 6455 5.2: a server never masks; no
// extension is negotiated, so the reserved bits stay 0).
inline void append_ws_text_frame(std::string& out, std::string_view payload) {
  const std::size_t n = payload.size();
  out += static_cast<char>(0x81);  // FIN, opcode 1 (text)
  if (n < 126) {
    out += static_cast<char>(n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(126);
    out += static_cast<char>(n >> 8 & 0xFF);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>(n >> shift & 0xFF);
  }
  out.append(payload);
}

}  // namespace mde::sim

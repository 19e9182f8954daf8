// A WebSocket client written from RFC 6455 and RFC 7692 alone (a blocking socket, OpenSSL's C API
// and Beast's zlib for inflate), not from Beast's WebSocket stream: the tests see the simulator's
// upgrade response and frame bits as a third-party client (Node's ws, Python's websockets) would.
// Test code only: blocking, allocating, every read bounded by a 5 s socket timeout.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mde::live_test {

struct RawFrame {
  bool fin = false;
  bool rsv1 = false;     // the frame's message is compressed (permessage-deflate)
  std::uint8_t opcode = 0;
  std::string payload;   // as received (still compressed when rsv1)
};

class RawWebSocketClient {
 public:
  // TLS to 127.0.0.1:`port` verifying the certificate against `ca_file` for "localhost", then an
  // HTTP/1.1 upgrade of `path` with `extra_headers` ("Name: value\r\n" lines). Throws on a
  // failed connect or handshake; an answer other than 101 is kept in response_head().
  RawWebSocketClient(std::uint16_t port, const std::string& ca_file, const std::string& path,
                     const std::string& extra_headers = {});
  ~RawWebSocketClient();
  RawWebSocketClient(const RawWebSocketClient&) = delete;
  RawWebSocketClient& operator=(const RawWebSocketClient&) = delete;

  // The status line and headers of the server's answer to the upgrade request.
  [[nodiscard]] const std::string& response_head() const noexcept { return head_; }
  [[nodiscard]] bool upgraded() const noexcept;  // 101 Switching Protocols

  // One masked text frame (FIN set).
  void send_text(std::string_view payload);
  // The next frame, or nothing on timeout, a closed socket or a malformed header.
  std::optional<RawFrame> read_frame();
  // The next text message's text, inflated when it came compressed (the inflater keeps its
  // window across messages: context takeover). Control frames are skipped; nothing on timeout.
  std::optional<std::string> read_text(bool* was_compressed = nullptr);

 private:
  bool read_exact(void* data, std::size_t size);
  struct Tls;
  std::unique_ptr<Tls> tls_;
  std::string head_;
  std::string pending_;  // bytes read past the response head
};

}  // namespace mde::live_test

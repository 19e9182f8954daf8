#include "live/raw_websocket_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <boost/beast/zlib/inflate_stream.hpp>
#include <cstring>
#include <random>
#include <stdexcept>

namespace mde::live_test {

struct RawWebSocketClient::Tls {
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  boost::beast::zlib::inflate_stream inflater;  // one per connection: RFC 7692 context takeover
  std::mt19937 mask_source{12345};

  Tls() { inflater.reset(15); }  // the 32 KiB window permessage-deflate defaults to

  ~Tls() {
    if (ssl != nullptr) SSL_free(ssl);
    if (ctx != nullptr) SSL_CTX_free(ctx);
    if (fd >= 0) ::close(fd);
  }
};

namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("raw websocket client: " + what);
}

}  // namespace

RawWebSocketClient::RawWebSocketClient(std::uint16_t port, const std::string& ca_file,
                                       const std::string& path,
                                       const std::string& extra_headers)
    : tls_(std::make_unique<Tls>()) {
  Tls& t = *tls_;
  t.fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (t.fd < 0) fail("socket");
  timeval timeout{5, 0};  // every read and write is bounded: a test never hangs on the peer
  ::setsockopt(t.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(t.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(t.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fail("connect");

  t.ctx = SSL_CTX_new(TLS_client_method());
  if (t.ctx == nullptr || SSL_CTX_load_verify_locations(t.ctx, ca_file.c_str(), nullptr) != 1) {
    fail("cannot load the CA file " + ca_file);
  }
  SSL_CTX_set_verify(t.ctx, SSL_VERIFY_PEER, nullptr);
  t.ssl = SSL_new(t.ctx);
  SSL_set_tlsext_host_name(t.ssl, "localhost");
  SSL_set1_host(t.ssl, "localhost");  // the certificate must name the host, as browsers check
  SSL_set_fd(t.ssl, t.fd);
  if (SSL_connect(t.ssl) != 1 || SSL_get_verify_result(t.ssl) != X509_V_OK) fail("TLS handshake");

  const std::string request = "GET " + path + " HTTP/1.1\r\n"
                              "Host: localhost:" + std::to_string(port) + "\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n" +
                              extra_headers + "\r\n";
  if (SSL_write(t.ssl, request.data(), static_cast<int>(request.size())) <= 0) fail("write");
  std::array<char, 4096> chunk{};
  std::string received;
  std::size_t end = std::string::npos;
  while ((end = received.find("\r\n\r\n")) == std::string::npos) {
    const int n = SSL_read(t.ssl, chunk.data(), static_cast<int>(chunk.size()));
    if (n <= 0) fail("no upgrade response");
    received.append(chunk.data(), static_cast<std::size_t>(n));
  }
  head_ = received.substr(0, end + 2);
  pending_ = received.substr(end + 4);
}

RawWebSocketClient::~RawWebSocketClient() = default;

bool RawWebSocketClient::upgraded() const noexcept {
  return head_.rfind("HTTP/1.1 101", 0) == 0;
}

void RawWebSocketClient::send_text(std::string_view payload) {
  std::string frame;
  frame.push_back(static_cast<char>(0x81));  // FIN, text
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(0x80 | payload.size()));  // client frames are masked
  } else {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  }
  const auto m = static_cast<std::uint32_t>(tls_->mask_source());
  const std::array<char, 4> mask{static_cast<char>(m >> 24), static_cast<char>(m >> 16),
                                 static_cast<char>(m >> 8), static_cast<char>(m)};
  frame.append(mask.data(), mask.size());
  for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(payload[i] ^ mask[i % 4]);
  if (SSL_write(tls_->ssl, frame.data(), static_cast<int>(frame.size())) <= 0) fail("write");
}

bool RawWebSocketClient::read_exact(void* data, std::size_t size) {
  auto* out = static_cast<char*>(data);
  const std::size_t from_pending = std::min(size, pending_.size());
  std::memcpy(out, pending_.data(), from_pending);
  pending_.erase(0, from_pending);
  for (std::size_t got = from_pending; got < size;) {
    const int n = SSL_read(tls_->ssl, out + got, static_cast<int>(size - got));
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<RawFrame> RawWebSocketClient::read_frame() {
  std::array<std::uint8_t, 2> h{};
  if (!read_exact(h.data(), h.size())) return std::nullopt;
  RawFrame f;
  f.fin = (h[0] & 0x80) != 0;
  f.rsv1 = (h[0] & 0x40) != 0;
  f.opcode = h[0] & 0x0f;
  if ((h[1] & 0x80) != 0) return std::nullopt;  // a server never masks (RFC 6455 5.1)
  std::uint64_t size = h[1] & 0x7f;
  if (size >= 126) {
    std::array<std::uint8_t, 8> ext{};
    const std::size_t n = size == 126 ? 2 : 8;
    if (!read_exact(ext.data(), n)) return std::nullopt;
    size = 0;
    for (std::size_t i = 0; i < n; ++i) size = (size << 8) | ext[i];
  }
  if (size > (std::uint64_t{1} << 26)) return std::nullopt;
  f.payload.resize(size);
  if (!read_exact(f.payload.data(), f.payload.size())) return std::nullopt;
  return f;
}

std::optional<std::string> RawWebSocketClient::read_text(bool* was_compressed) {
  for (;;) {
    std::optional<RawFrame> f = read_frame();
    if (!f) return std::nullopt;
    if (f->opcode == 0x8) return std::nullopt;  // close
    if (f->opcode != 0x1 || !f->fin) continue;  // pings, pongs (the simulator never fragments)
    if (was_compressed != nullptr) *was_compressed = f->rsv1;
    if (!f->rsv1) return std::move(f->payload);
    // RFC 7692 7.2.2: append the empty stored block the sender stripped, then inflate.
    std::string in = std::move(f->payload);
    in.append("\x00\x00\xff\xff", 4);
    std::string text;
    std::array<char, 16384> out{};
    boost::beast::zlib::z_params zs;
    zs.next_in = in.data();
    zs.avail_in = in.size();
    do {
      zs.next_out = out.data();
      zs.avail_out = out.size();
      boost::beast::error_code ec;
      tls_->inflater.write(zs, boost::beast::zlib::Flush::sync, ec);
      text.append(out.data(), out.size() - zs.avail_out);
      if (ec && ec != boost::beast::zlib::error::need_buffers) return std::nullopt;
      if (ec && zs.avail_out == out.size()) break;  // no progress
    } while (zs.avail_in > 0 || zs.avail_out == 0);  // a full buffer may leave output behind
    return text;
  }
}

}  // namespace mde::live_test

#include "mde/feeds/coinone/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace mde::coinone {

// ---- Secret ---------------------------------------------------------------------------------

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret::Secret(Secret&& other) : value_(other.value_) { other.wipe(); }

Secret& Secret::operator=(Secret&& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;  // copied, then wiped at the source: no buffer is handed over unwiped
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

// ---- encodings ------------------------------------------------------------------------------

std::string auth_json(std::string_view access_token, std::string_view nonce,
                      std::int64_t timestamp_ms) {
  std::string json;
  json.reserve(64 + access_token.size() + nonce.size());
  const auto quoted = [&json](std::string_view s) {
    json += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') json += '\\';
      json += c;
    }
    json += '"';
  };
  json += R"({"access_token":)";
  quoted(access_token);
  json += R"(,"nonce":)";
  quoted(nonce);
  json += R"(,"timestamp":)";
  json += std::to_string(timestamp_ms);
  json += '}';
  return json;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool base64_decode(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  out.assign(3 * (text.size() / 4), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock keeps the bytes the padding stands for: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '=' && size > 0; --i) --size;
  out.resize(size);
  return true;
}

std::string hmac_sha512_hex(std::string_view key, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha512(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &len) == nullptr) {
    throw std::runtime_error("coinone auth: HMAC-SHA512 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * len, '\0');
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = kHex[mac[i] >> 4];
    hex[2 * i + 1] = kHex[mac[i] & 0xF];
  }
  OPENSSL_cleanse(mac, sizeof mac);
  return hex;
}

std::string uuid_v4() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("coinone auth: RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // variant 10
  char text[37];
  std::snprintf(text, sizeof text,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string(text, 36);
}

// ---- signing --------------------------------------------------------------------------------

AuthHeaders sign(const Credentials& credentials, std::string_view nonce,
                 std::int64_t timestamp_ms) {
  AuthHeaders h;
  h.payload = base64_encode(
      auth_json(credentials.access_token.reveal_for_signing(), nonce, timestamp_ms));
  h.signature = hmac_sha512_hex(credentials.secret_key.reveal_for_signing(), h.payload);
  return h;
}

AuthHeaders sign_now(const Credentials& credentials) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return sign(credentials, uuid_v4(), now.count());
}

}  // namespace mde::coinone

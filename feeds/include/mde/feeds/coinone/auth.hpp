// Coinone private WebSocket authentication (protocols.md A7.2): the two upgrade headers.
//
//   json      = {"access_token":"<token>","nonce":"<UUID v4>","timestamp":<Unix ms>}  (compact)
//   payload   = base64 (standard alphabet, padded) of json   -> X-COINONE-PAYLOAD
//   signature = lowercase hex HMAC-SHA512(key = secret, message = payload)  -> X-COINONE-SIGNATURE
//
// A fresh nonce (UUID v4 from OpenSSL's CSPRNG) and timestamp are made for every connect.
//
// Credentials are `Secret`s: a type with no stream operator and no implicit conversion, whose only
// accessor says what it is for, so a secret can be printed only by someone who asks for it by
// name. Its memory is wiped (OPENSSL_cleanse) when it is destroyed or replaced.
//
// Thread: any. Control path only (runs once per connect): allocates; uuid_v4() throws
// std::runtime_error if the CSPRNG fails (the connect then fails, it never signs a weak nonce).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mde::coinone {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) : value_(other.value_) {}
  Secret& operator=(const Secret& other);
  Secret(Secret&& other);  // copies then wipes the source: no unwiped buffer is left behind
  Secret& operator=(Secret&& other);
  ~Secret();

  // The secret itself, for signing and verifying only: never format, log or store it.
  [[nodiscard]] std::string_view reveal_for_signing() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

 private:
  void wipe() noexcept;
  std::string value_;
};

// An API key pair. Both halves are Secrets: the access token is not a password, but together with
// a leaked secret it is the account, and nothing needs to print it.
struct Credentials {
  Secret access_token;
  Secret secret_key;
  [[nodiscard]] bool empty() const noexcept { return access_token.empty() || secret_key.empty(); }
};

// The venue's private endpoint (A7.1; the doc's wscat example without `/v1` looks like a typo).
inline constexpr std::string_view kPrivateUrl = "wss://stream.coinone.co.kr/v1/private";
inline constexpr std::string_view kPayloadHeader = "X-COINONE-PAYLOAD";
inline constexpr std::string_view kSignatureHeader = "X-COINONE-SIGNATURE";

struct AuthHeaders {
  std::string payload;    // X-COINONE-PAYLOAD
  std::string signature;  // X-COINONE-SIGNATURE
};

// The compact JSON object of step 1 (the token and nonce are written as given: UUID-shaped
// values need no escaping; a `"` or `\` in them is escaped anyway).
[[nodiscard]] std::string auth_json(std::string_view access_token, std::string_view nonce,
                                    std::int64_t timestamp_ms);
[[nodiscard]] std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; false on anything else (out is unspecified then).
[[nodiscard]] bool base64_decode(std::string_view text, std::string& out);
// Lowercase hex HMAC-SHA512 (128 characters).
[[nodiscard]] std::string hmac_sha512_hex(std::string_view key, std::string_view message);
// A random (version 4, variant 10) UUID in lowercase 8-4-4-4-12 form, from RAND_bytes.
[[nodiscard]] std::string uuid_v4();

// Both headers for the given nonce and time (deterministic: the test vector goes through here).
[[nodiscard]] AuthHeaders sign(const Credentials& credentials, std::string_view nonce,
                               std::int64_t timestamp_ms);
// Both headers with a fresh nonce and the current time: what every connect sends.
[[nodiscard]] AuthHeaders sign_now(const Credentials& credentials);

}  // namespace mde::coinone

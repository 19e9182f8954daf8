// The client side of TLS for live sessions: the context (trust store) and per-connection peer
// verification (SNI plus host name or IP address checked against the certificate).
// Setup and connect paths only; throws std::runtime_error on a bad option.
#pragma once

#include <boost/asio/ssl.hpp>
#include <string>

#include "mde/feeds/live/session.hpp"

namespace mde::live {

// TLS 1.2+; the system CA store, or only `ca_file` when one is given; or no verification at all
// when insecure_skip_verify is set (the only way to turn it off).
[[nodiscard]] boost::asio::ssl::context make_client_tls_context(const TlsOptions& options);

// Asio sets SSL_MODE_RELEASE_BUFFERS on every connection it makes (memory for idle ones). A feed
// is never idle: with it, OpenSSL frees the 16 KiB record buffer whenever a read drains it and
// mallocs it again for the next record, an allocation per record on the hot path. This clears
// it on `ssl` (tests/live/live_allocation_test.cpp proves the read path then never allocates).
void keep_record_buffers(SSL* ssl) noexcept;

// Sets SNI (for names, not IP literals) and what the certificate must match: the DNS name, or
// the IP address in its subjectAltName. False when OpenSSL refused a setting.
[[nodiscard]] bool configure_peer_verification(SSL* ssl, const std::string& host,
                                               bool insecure_skip_verify);

}  // namespace mde::live

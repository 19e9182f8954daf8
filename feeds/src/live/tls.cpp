#include "tls.hpp"

#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <stdexcept>

namespace mde::live {

boost::asio::ssl::context make_client_tls_context(const TlsOptions& options) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  if (!options.tls13) {
    // OpenSSL 3.0 mallocs 40 bytes for every TLS 1.3 record it decrypts (the WPACKET that builds
    // the record's additional data in tls13_enc); its TLS 1.2 AEAD path allocates nothing. So the
    // default is TLS 1.2 with what TLS 1.3 would give: ECDHE (forward secrecy) and AEAD suites.
    if (SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx.native_handle(), "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
      throw std::runtime_error("live session: OpenSSL refused the TLS 1.2 settings");
    }
  }
  if (options.insecure_skip_verify) {
    ctx.set_verify_mode(ssl::verify_none);
    return ctx;
  }
  ctx.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (options.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
    if (ec) throw std::runtime_error("live session: cannot load the system CA store: " + ec.message());
  } else {
    ctx.load_verify_file(options.ca_file, ec);
    if (ec) {
      throw std::runtime_error("live session: cannot load CA file " + options.ca_file + ": " +
                               ec.message());
    }
  }
  return ctx;
}

void keep_record_buffers(SSL* ssl) noexcept { SSL_clear_mode(ssl, SSL_MODE_RELEASE_BUFFERS); }

bool configure_peer_verification(SSL* ssl, const std::string& host, bool insecure_skip_verify) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(host, ec);
  const bool is_ip = !ec;
  // SNI carries host names only (RFC 6066: IP literals are not permitted).
  if (!is_ip && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return false;
  if (insecure_skip_verify) return true;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip) return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) == 1;
}

}  // namespace mde::live

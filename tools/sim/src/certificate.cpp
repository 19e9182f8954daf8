#include "mde/sim/certificate.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

namespace mde::sim {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* e) const noexcept { X509_EXTENSION_free(e); }
};
struct FileClose {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "no OpenSSL error";
  if (const unsigned long code = ERR_get_error(); code != 0) {
    ERR_error_string_n(code, reason, sizeof reason);
  }
  throw std::runtime_error("sim certificate: " + what + ": " + reason);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail(std::string("extension ") + value);
}

void write_pem(const std::filesystem::path& path, bool private_file, auto&& write) {
  std::unique_ptr<std::FILE, FileClose> f(std::fopen(path.c_str(), "wb"));
  if (!f) throw std::runtime_error("sim certificate: cannot write " + path.string());
  if (private_file) {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write,
                                 ec);
  }
  if (write(f.get()) != 1) fail("writing " + path.string());
}

}  // namespace

CertificateFiles ensure_self_signed_certificate(const std::filesystem::path& dir) {
  CertificateFiles files{dir / "sim-cert.pem", dir / "sim-key.pem", false};
  if (std::filesystem::exists(files.certificate) && std::filesystem::exists(files.private_key)) {
    return files;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("sim certificate: cannot create " + dir.string());

  std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  if (!key) fail("generating the key");
  std::unique_ptr<X509, CertFree> cert(X509_new());
  if (!cert) fail("allocating the certificate");
  X509_set_version(cert.get(), 2);  // v3
  // A random serial: a regenerated certificate must not collide with one a client cached.
  ASN1_INTEGER* serial = X509_get_serialNumber(cert.get());
  BIGNUM* bn = BN_new();
  if (bn == nullptr || BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(bn, serial) == nullptr) {
    BN_free(bn);
    fail("serial number");
  }
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60L * 60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("mde exchange simulator"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key.get()) != 1) fail("public key");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("signing");

  write_pem(files.private_key, true, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  write_pem(files.certificate, false,
            [&](std::FILE* f) { return PEM_write_X509(f, cert.get()); });
  files.generated = true;
  return files;
}

}  // namespace mde::sim

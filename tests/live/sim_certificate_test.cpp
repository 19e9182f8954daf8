// The simulator's self-signed certificate: made once, reused, valid for localhost and 127.0.0.1.
#include <gtest/gtest.h>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "live/live_test_support.hpp"
#include "mde/sim/certificate.hpp"

namespace mde::sim {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SimCertificate, IsGeneratedOnceThenReused) {
  live_test::TempDir dir("cert");
  const CertificateFiles first = ensure_self_signed_certificate(dir.path() / "certs");
  EXPECT_TRUE(first.generated);
  const std::string pem = slurp(first.certificate);
  const CertificateFiles second = ensure_self_signed_certificate(dir.path() / "certs");
  EXPECT_FALSE(second.generated);
  EXPECT_EQ(slurp(second.certificate), pem);
  EXPECT_EQ(std::filesystem::status(first.private_key).permissions() &
                std::filesystem::perms::group_all,
            std::filesystem::perms::none);
}

TEST(SimCertificate, NamesLocalhostAndTheLoopbackAddressOnly) {
  live_test::TempDir dir("cert-names");
  const CertificateFiles files = ensure_self_signed_certificate(dir.path());
  std::FILE* f = std::fopen(files.certificate.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert, "example.com", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_ip_asc(cert, "10.0.0.1", 0), 1);
  X509_free(cert);
}

}  // namespace
}  // namespace mde::sim

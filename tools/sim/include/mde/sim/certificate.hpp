// A self-signed TLS certificate for the simulator, valid for `localhost` and `127.0.0.1`.
//
// On first use it generates a P-256 key and an X.509 v3 certificate (subjectAltName DNS:localhost
// and IP:127.0.0.1, basicConstraints CA:TRUE so the same file is the CA a client trusts) into the
// given directory; later calls find the files there and reuse them, so a client configured once
// keeps trusting the simulator. Tool side: allocates, throws std::runtime_error naming the file
// and OpenSSL's reason on failure.
#pragma once

#include <filesystem>

namespace mde::sim {

struct CertificateFiles {
  std::filesystem::path certificate;  // PEM; also the CA file clients trust
  std::filesystem::path private_key;  // PEM, mode 0600
  bool generated = false;             // false: both files were already there
};

[[nodiscard]] CertificateFiles ensure_self_signed_certificate(const std::filesystem::path& dir);

}  // namespace mde::sim

// A throwaway PKI for the TLS tests: a test CA and server certificates it signs, written as
// PEM files into a directory. Generated with OpenSSL at test time; nothing is checked in.
#pragma once

#include <string>

namespace funnelbot::testing {

struct TestPki {
    std::string ca_cert;      // ca.pem: trust this (SSL_CERT_FILE) and nothing else
    std::string server_cert;  // valid for DNS:localhost and IP:127.0.0.1
    std::string server_key;
    std::string wrong_host_cert;  // signed by the same CA, valid only for DNS:wrong.example
    std::string wrong_host_key;
};

// Creates the files in `dir` (which must exist). Throws std::runtime_error on failure.
TestPki make_test_pki(const std::string& dir);

}  // namespace funnelbot::testing

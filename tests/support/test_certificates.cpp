#include "tests/support/test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace funnelbot::testing {

namespace {

struct KeyFree {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
    void operator()(X509* c) const { X509_free(c); }
};
struct FileClose {
    void operator()(FILE* f) const { std::fclose(f); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

Key new_key() {
    // P-256 keys are quick to generate, so every test run gets fresh ones.
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "key generation");
    return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

Cert make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key, long serial,
               const char* san) {
    Cert cert(X509_new());
    check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 30);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509* signer = issuer != nullptr ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    if (issuer == nullptr) {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert.get(), signer, NID_ext_key_usage, "serverAuth");
        add_ext(cert.get(), signer, NID_subject_alt_name, san);
    }
    add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
    check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0,
          "sign");
    return cert;
}

void write_cert(const std::string& path, X509* cert) {
    std::unique_ptr<FILE, FileClose> f(std::fopen(path.c_str(), "w"));
    check(f != nullptr, "open cert file");
    check(PEM_write_X509(f.get(), cert) == 1, "write cert");
}

void write_key(const std::string& path, EVP_PKEY* key) {
    std::unique_ptr<FILE, FileClose> f(std::fopen(path.c_str(), "w"));
    check(f != nullptr, "open key file");
    check(PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "write key");
}

}  // namespace

TestPki make_test_pki(const std::string& dir) {
    TestPki pki{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key", dir + "/wrong.pem",
                dir + "/wrong.key"};
    Key ca_key = new_key();
    Cert ca = make_cert(ca_key.get(), "funnelbot test CA", nullptr, nullptr, 1, nullptr);
    Key server_key = new_key();
    Cert server = make_cert(server_key.get(), "localhost", ca.get(), ca_key.get(), 2,
                            "DNS:localhost,IP:127.0.0.1");
    Key wrong_key = new_key();
    Cert wrong =
        make_cert(wrong_key.get(), "wrong.example", ca.get(), ca_key.get(), 3, "DNS:wrong.example");
    write_cert(pki.ca_cert, ca.get());
    write_cert(pki.server_cert, server.get());
    write_key(pki.server_key, server_key.get());
    write_cert(pki.wrong_host_cert, wrong.get());
    write_key(pki.wrong_host_key, wrong_key.get());
    return pki;
}

}  // namespace funnelbot::testing

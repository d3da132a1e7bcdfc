// Template part of tls_context.hpp.
#pragma once

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace funnelbot::bot {

template <class Stream>
bool prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host,
                        std::string& error) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    const bool is_ip = !ec;
    // SNI is for names only (RFC 6066 forbids literal addresses).
    if (!is_ip && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
        error = "cannot set TLS server name " + host;
        return false;
    }
    X509_VERIFY_PARAM* param = SSL_get0_param(stream.native_handle());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                         : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1) {
        error = "cannot set TLS host-name check for " + host;
        return false;
    }
    stream.set_verify_mode(boost::asio::ssl::verify_peer);
    // Asio's engine asks OpenSSL to free a connection's record buffers each time they empty
    // (SSL_MODE_RELEASE_BUFFERS): every record read then allocated and freed its 16 KiB
    // buffer again, a large chunk that made glibc consolidate the network thread's arena. A
    // connection keeps its buffers instead: about 34 KiB for each one kept open.
    // https://docs.openssl.org/3.0/man3/SSL_CTX_set_mode/
    SSL_clear_mode(stream.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    return true;
}

}  // namespace funnelbot::bot

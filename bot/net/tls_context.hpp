// The client TLS context: TLS 1.2+, peer verification against OpenSSL's default verify paths
// (so SSL_CERT_FILE / SSL_CERT_DIR work), host-name checks added per connection.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <string>

namespace funnelbot::bot {

boost::asio::ssl::context make_client_tls_context();

// SNI and host-name verification for one connection. Returns false (with `error`) if OpenSSL
// refused the settings.
template <class Stream>
bool prepare_tls_stream(boost::asio::ssl::stream<Stream>& stream, const std::string& host,
                        std::string& error);

}  // namespace funnelbot::bot

#include "bot/net/tls_context_impl.hpp"

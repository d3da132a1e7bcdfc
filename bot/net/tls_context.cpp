#include "bot/net/tls_context.hpp"

namespace funnelbot::bot {

boost::asio::ssl::context make_client_tls_context() {
    namespace ssl = boost::asio::ssl;
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    // OpenSSL's default paths honour SSL_CERT_FILE and SSL_CERT_DIR.
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(ssl::verify_peer);
    return ctx;
}

}  // namespace funnelbot::bot

// The short names that the TLS test code (the fake servers, the raw test client, the transport
// tests) uses for Boost.Asio and Beast, spelt once so that every file reads alike. A .cpp file
// takes them with `using namespace funnelbot::testing::beast_aliases;` inside its own namespace;
// a header only into a namespace of its own (fake_server.hpp does), never into a shared one.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/system/error_code.hpp>

namespace funnelbot::testing::beast_aliases {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

}  // namespace funnelbot::testing::beast_aliases

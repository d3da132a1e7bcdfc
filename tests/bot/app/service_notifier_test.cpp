// sd_notify without libsystemd: the datagrams a real unix socket receives, for a path and for an
// abstract name, and silence without NOTIFY_SOCKET.
#include "bot/app/service_notifier.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "tests/support/temp_database.hpp"

namespace funnelbot::bot {
namespace {

// A datagram socket bound to `address` ('@' for an abstract name), as systemd listens.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& address) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, address.data(), address.size());
        if (address[0] == '@') addr.sun_path[0] = '\0';
        const auto length =
            static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size());
        bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), length) == 0;
    }
    ~NotifySocket() {
        if (fd_ >= 0) ::close(fd_);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    bool bound() const { return bound_; }

    // The next datagram, if one arrives within a second.
    std::optional<std::string> receive() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 1000) != 1) return std::nullopt;
        char buf[4096];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, static_cast<std::size_t>(n));
    }

private:
    int fd_ = -1;
    bool bound_ = false;
};

TEST(ServiceNotifier, SendsReadyStatusAndStoppingToAPathSocket) {
    funnelbot::testing::TempDir dir;
    const std::string path = dir.file("notify");
    NotifySocket systemd(path);
    ASSERT_TRUE(systemd.bound());
    const std::map<std::string, std::string> env{{"NOTIFY_SOCKET", path}};
    const auto notifier = ServiceNotifier::from_environment([&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    });
    ASSERT_TRUE(notifier.enabled());
    EXPECT_TRUE(notifier.status("connecting to Slack"));
    EXPECT_TRUE(notifier.ready());
    EXPECT_TRUE(notifier.stopping());
    EXPECT_EQ(systemd.receive(), "STATUS=connecting to Slack");
    EXPECT_EQ(systemd.receive(), "READY=1");
    EXPECT_EQ(systemd.receive(), "STOPPING=1");
}

TEST(ServiceNotifier, ReachesAnAbstractSocket) {
    std::random_device rd;
    const std::string name =
        "@funnelbot-notify-test-" + std::to_string(rd()) + std::to_string(rd());
    NotifySocket systemd(name);
    ASSERT_TRUE(systemd.bound());
    const ServiceNotifier notifier(name);
    EXPECT_TRUE(notifier.ready());
    EXPECT_EQ(systemd.receive(), "READY=1");
}

TEST(ServiceNotifier, AStatusCannotAddAnAssignment) {
    funnelbot::testing::TempDir dir;
    NotifySocket systemd(dir.file("notify"));
    ASSERT_TRUE(systemd.bound());
    const ServiceNotifier notifier(dir.file("notify"));
    EXPECT_TRUE(notifier.status("half\nREADY=1"));
    EXPECT_EQ(systemd.receive(), "STATUS=half READY=1");
}

TEST(ServiceNotifier, WithoutNotifySocketNothingIsSent) {
    const auto notifier = ServiceNotifier::from_environment([](const char*) { return nullptr; });
    EXPECT_FALSE(notifier.enabled());
    EXPECT_FALSE(notifier.ready());
    EXPECT_FALSE(notifier.status("x"));
    EXPECT_FALSE(notifier.stopping());
}

TEST(ServiceNotifier, AnAddressNobodyListensOnFailsQuietly) {
    funnelbot::testing::TempDir dir;
    EXPECT_FALSE(ServiceNotifier(dir.file("nobody-here")).ready());
    EXPECT_FALSE(ServiceNotifier("relative/path").ready()) << "only /path and @name are sockets";
    EXPECT_FALSE(ServiceNotifier("/" + std::string(200, 'x')).ready()) << "too long for sun_path";
}

}  // namespace
}  // namespace funnelbot::bot

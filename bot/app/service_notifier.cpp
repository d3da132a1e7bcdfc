#include "bot/app/service_notifier.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

namespace funnelbot::bot {

namespace {

// Closes the socket however send() returns.
class SocketHandle {
public:
    explicit SocketHandle(int fd) : fd_(fd) {}
    ~SocketHandle() {
        if (fd_ >= 0) ::close(fd_);
    }
    SocketHandle(const SocketHandle&) = delete;
    SocketHandle& operator=(const SocketHandle&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

ServiceNotifier::ServiceNotifier(std::string socket_address)
    : address_(std::move(socket_address)) {}

ServiceNotifier ServiceNotifier::from_environment(const GetEnv& getenv_fn) {
    const char* value = getenv_fn("NOTIFY_SOCKET");
    return ServiceNotifier(value == nullptr ? std::string() : std::string(value));
}

bool ServiceNotifier::ready() const {
    return send("READY=1");
}

bool ServiceNotifier::stopping() const {
    return send("STOPPING=1");
}

bool ServiceNotifier::status(std::string_view text) const {
    std::string line(text);
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return send("STATUS=" + line);
}

bool ServiceNotifier::send(const std::string& state) const {
    // Only the two forms sd_notify(3) documents for AF_UNIX: "/path" and "@abstract".
    if (address_.empty() || (address_[0] != '/' && address_[0] != '@')) return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (address_.size() > sizeof(addr.sun_path)) return false;
    std::memcpy(addr.sun_path, address_.data(), address_.size());
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
    if (address_[0] == '@') {
        addr.sun_path[0] = '\0';  // an abstract name: no terminator, its length is the address's
    } else if (address_.size() < sizeof(addr.sun_path)) {
        ++length;  // a path: count its terminating NUL, as sd_notify does
    }
    const SocketHandle fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return false;
    const ssize_t sent = ::sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&addr), length);
    return sent == static_cast<ssize_t>(state.size());
}

}  // namespace funnelbot::bot

// Tells systemd how the service is doing (Type=notify): READY=1 once it serves, STOPPING=1 when
// it shuts down, STATUS= for `systemctl status`. One datagram per call to the socket named by
// $NOTIFY_SOCKET, as sd_notify(3) does it:
// https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html Outside systemd (no
// NOTIFY_SOCKET) every call does nothing.
#pragma once

#include <string>
#include <string_view>

#include "bot/app/runtime_config.hpp"

namespace funnelbot::bot {

class ServiceNotifier {
public:
    // `socket_address` as $NOTIFY_SOCKET holds it: a file system path, or '@' and the name of an
    // abstract socket. Empty: a notifier that sends nothing.
    explicit ServiceNotifier(std::string socket_address);
    // Reads NOTIFY_SOCKET through `getenv_fn`.
    static ServiceNotifier from_environment(const GetEnv& getenv_fn);

    // Whether there is a socket to notify.
    bool enabled() const { return !address_.empty(); }

    // Each returns true when the datagram was sent; false when disabled or the socket refused it
    // (systemd gone, a wrong address): the bot goes on either way.
    bool ready() const;
    bool stopping() const;
    // A one-line status; line breaks become spaces so the text cannot add assignments.
    bool status(std::string_view text) const;

private:
    bool send(const std::string& state) const;

    std::string address_;
};

}  // namespace funnelbot::bot

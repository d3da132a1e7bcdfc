#include "bot/app/console_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "commands/command_dispatch.hpp"
#include "commands/grammar/command_parser.hpp"
#include "commands/render/text_renderer.hpp"

namespace funnelbot::bot {

namespace {

constexpr const char* kAdminName = "console";

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

ConsoleSession::ConsoleSession(storage::Database& db, storage::Workspace workspace,
                               ConsoleOptions options)
    : db_(db), workspace_(std::move(workspace)), options_(std::move(options)), as_(options_.as) {}

commands::Identity ConsoleSession::identity() const {
    commands::Identity who;
    who.platform_user_id = as_.empty() ? kAdminName : as_;
    who.name = who.platform_user_id;
    // The operator of the console owns the local database; other names are whoever they are.
    who.platform_admin = as_.empty() || std::find(options_.admins.begin(), options_.admins.end(),
                                                  as_) != options_.admins.end();
    return who;
}

std::string ConsoleSession::answer(const std::string& raw, bool* failed) {
    if (failed != nullptr) *failed = false;
    const std::string line = trim(raw);
    if (line.empty() || line.front() == '#') return {};
    if (line == "/as" || line.starts_with("/as ")) {
        std::string name = trim(line.substr(3));
        if (!name.empty() && name.front() == '@') name.erase(0, 1);
        as_ = name == kAdminName ? std::string() : name;
        return "Now acting as " + (as_.empty() ? std::string(kAdminName) + " (admin)" : as_) +
               ".\n";
    }
    auto parts = commands::split_command_line(line);
    if (!parts) {
        if (failed != nullptr) *failed = true;
        return commands::render_text(commands::Reply::error(parts.error().message));
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto outcome =
        commands::execute_text(db_, workspace_, identity(), parts->name, parts->text, now);
    if (failed != nullptr) *failed = outcome.reply.is_error();
    if (!outcome.failure.empty()) {
        spdlog::error("console: {} failed (reference {}): {}", parts->name, outcome.reference,
                      outcome.failure);
    }
    return commands::render_text(outcome.reply);
}

int ConsoleSession::run(std::istream& in, std::ostream& out) {
    int failures = 0;
    if (options_.interactive) {
        out << "funnelbot console — acting as " << (as_.empty() ? kAdminName : as_)
            << ". Type /funnel-help for commands, /as NAME to act as someone else, /quit to "
               "leave.\n";
    }
    std::string line;
    while (true) {
        if (options_.interactive) out << (as_.empty() ? kAdminName : as_) << "> " << std::flush;
        if (!std::getline(in, line)) break;
        const std::string t = trim(line);
        if (t == "/quit" || t == "/exit") break;
        bool failed = false;
        const std::string text = answer(line, &failed);
        if (failed) ++failures;
        if (!text.empty()) out << text << (options_.interactive ? "" : "\n") << std::flush;
    }
    if (options_.interactive) out << '\n';
    return failures;
}

}  // namespace funnelbot::bot

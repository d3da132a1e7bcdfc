// The console front end: commands typed or piped in, plain-text replies out. It is the
// offline twin of the Slack and Discord clients and goes through the same dispatch.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "commands/command_context.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace funnelbot::bot {

struct ConsoleOptions {
    std::string as;                   // empty: the admin "console"
    std::vector<std::string> admins;  // FUNNELBOT_ADMINS: names that are admins here too
    bool interactive = false;         // a terminal: prompt and banner
};

class ConsoleSession {
public:
    ConsoleSession(storage::Database& db, storage::Workspace workspace, ConsoleOptions options);

    // Answers each line until end of input or `/quit`. Returns the number of commands that
    // failed (user errors included); the console still exits 0 after them.
    int run(std::istream& in, std::ostream& out);

    // One line: a command, `/as NAME` (act as NAME; `/as` alone: back to the admin), a blank
    // line or a `#` comment (ignored). Returns the text printed.
    std::string answer(const std::string& line, bool* failed = nullptr);

private:
    commands::Identity identity() const;

    storage::Database& db_;
    storage::Workspace workspace_;
    ConsoleOptions options_;
    std::string as_;
};

}  // namespace funnelbot::bot

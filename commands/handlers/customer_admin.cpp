#include "commands/grammar/arguments.hpp"
#include "commands/handlers/command_handlers.hpp"
#include "commands/workspace/lookups.hpp"
#include "storage/customer_repository.hpp"

namespace funnelbot::commands {

Result<Reply> handle(CommandContext& ctx, const CustomerMark& cmd) {
    if (auto refused = require_admin(ctx, "mark customers")) return *refused;
    storage::CustomerRepository customers(ctx.db);
    const storage::Customer c = customers.find_or_create(ctx.workspace.id, cmd.name);
    customers.set_status(ctx.workspace.id, c.id, cmd.status);
    Reply reply;
    reply.title = "Customer updated";
    reply.verdict = Verdict::good;
    reply.summary =
        c.name +
        (cmd.status == storage::CustomerStatus::current
             ? " is a current customer: new opportunities with it count as existing business."
             : " is a prospect: new opportunities with it count as new business.");
    return reply;
}

Result<Command> parse_customer(std::span<const Arg> args, std::string_view usage) {
    if (args.empty()) return wrong("Missing the customer's name.", usage);
    const Arg& last = args.back();
    if (!(is_word(last, "current") || is_word(last, "prospect"))) {
        return wrong("End with current or prospect.", usage);
    }
    for (const auto& a : args.first(args.size() - 1)) {
        if (a.kind != Arg::Kind::word) return wrong("Unexpected " + describe(a) + ".", usage);
    }
    auto n = checked_name(join_words(args.first(args.size() - 1)), "customer name", usage);
    if (!n) return n.error();
    return Command{CustomerMark{*n, is_word(last, "current") ? storage::CustomerStatus::current
                                                             : storage::CustomerStatus::prospect}};
}

}  // namespace funnelbot::commands

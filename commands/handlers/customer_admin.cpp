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

}  // namespace funnelbot::commands

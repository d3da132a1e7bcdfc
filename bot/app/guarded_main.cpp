#include "bot/app/guarded_main.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "storage/database.hpp"

namespace funnelbot::bot {

int guarded_main(const std::function<int()>& subcommand) {
    try {
        return subcommand();
    } catch (const storage::StorageError& e) {
        spdlog::error("{}", e.what());
    } catch (const std::exception& e) {
        spdlog::error("funnelbot stopped on an unexpected error: {}", e.what());
    } catch (...) {
        spdlog::error("funnelbot stopped on an unexpected error of unknown type");
    }
    return 1;
}

}  // namespace funnelbot::bot

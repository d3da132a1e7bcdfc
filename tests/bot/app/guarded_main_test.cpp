// main()'s last line of defence: any exception from a sub-command becomes one log line and exit
// status 1 (before, anything but a StorageError ended in std::terminate and no word of why).
#include "bot/app/guarded_main.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <stdexcept>

#include "storage/database.hpp"

namespace funnelbot::bot {
namespace {

class GuardedMainTest : public ::testing::Test {
protected:
    GuardedMainTest() {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
        previous_ = spdlog::default_logger();
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    }
    ~GuardedMainTest() override { spdlog::set_default_logger(previous_); }

    std::ostringstream log_;
    std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(GuardedMainTest, TheSubcommandsStatusPassesThrough) {
    EXPECT_EQ(guarded_main([] { return 0; }), 0);
    EXPECT_EQ(guarded_main([] { return 2; }), 2);
    EXPECT_EQ(log_.str(), "");
}

TEST_F(GuardedMainTest, EveryExceptionIsOneLogLineAndStatusOne) {
    EXPECT_EQ(guarded_main([]() -> int {
                  throw storage::StorageError("open database /x.db: unable to open database file");
              }),
              1);
    EXPECT_EQ(guarded_main([]() -> int { throw std::runtime_error("bad zone Mars/Olympus"); }), 1);
    EXPECT_EQ(guarded_main([]() -> int { throw 42; }), 1);
    const std::string log = log_.str();
    EXPECT_NE(log.find("open database /x.db: unable to open database file"), std::string::npos);
    EXPECT_NE(log.find("funnelbot stopped on an unexpected error: bad zone Mars/Olympus"),
              std::string::npos);
    EXPECT_NE(log.find("funnelbot stopped on an unexpected error of unknown type"),
              std::string::npos);
}

}  // namespace
}  // namespace funnelbot::bot

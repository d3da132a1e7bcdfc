#include "storage/app_setting_repository.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/sql_support.hpp"

namespace funnelbot::storage {

std::optional<std::string> AppSettingRepository::get(const std::string& key) {
    return detail::guarded("app setting get", [&]() -> std::optional<std::string> {
        auto st = detail::cached(db_, "SELECT value FROM app_settings WHERE key = ?");
        st->bind(1, key);
        if (!st->executeStep()) return std::nullopt;
        return st->getColumn(0).getString();
    });
}

void AppSettingRepository::set(const std::string& key, const std::string& value) {
    detail::guarded("app setting set", [&] {
        auto st = detail::cached(db_,
                                 "INSERT INTO app_settings (key, value) VALUES (?, ?)"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        st->bind(1, key);
        st->bind(2, value);
        st->exec();
    });
}

}  // namespace funnelbot::storage

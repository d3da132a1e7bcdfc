#include "storage/database_probe.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace funnelbot::storage {

namespace {

// Whether a file can be created where `path` would go: a scratch file is made and removed.
std::string creation_error(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path target = fs::absolute(path);
    std::error_code ec;
    if (!fs::is_directory(target.parent_path(), ec)) {
        return "its directory " + target.parent_path().string() + " does not exist";
    }
    const fs::path scratch = target.string() + ".probe-" + std::to_string(std::random_device{}());
    std::ofstream file(scratch);
    if (!file)
        return "cannot create a file in " + target.parent_path().string() + ": " +
               std::strerror(errno);
    file.close();
    fs::remove(scratch, ec);
    return "";
}

}  // namespace

DatabaseProbe probe_database(const std::string& path, std::chrono::milliseconds busy_wait) {
    DatabaseProbe out;
    std::error_code ec;
    out.exists = std::filesystem::exists(path, ec);
    if (!out.exists) {
        out.write_error = creation_error(path);
        return out;
    }
    try {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX,
                            static_cast<int>(busy_wait.count()));
        out.schema_version = db.execAndGet("PRAGMA user_version").getInt();
        try {
            // A write to the file itself (a TEMP table would go elsewhere), never committed.
            db.exec("BEGIN IMMEDIATE");
            db.exec("CREATE TABLE main.funnelbot_write_probe (x INTEGER)");
            db.exec("ROLLBACK");
        } catch (const SQLite::Exception& e) {
            if ((e.getErrorCode() & 0xff) == SQLITE_BUSY) {
                out.busy = true;
            } else {
                out.write_error = e.what();
            }
            if (sqlite3_get_autocommit(db.getHandle()) == 0) db.tryExec("ROLLBACK");
        }
    } catch (const SQLite::Exception& e) {
        // A WAL file in a directory this user may not write to fails here already, as read-only.
        if ((e.getErrorCode() & 0xff) == SQLITE_READONLY) {
            out.write_error = e.what();
        } else {
            out.open_error = e.what();
        }
    }
    return out;
}

}  // namespace funnelbot::storage

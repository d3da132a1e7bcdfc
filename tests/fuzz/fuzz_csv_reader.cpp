// libFuzzer: the CSV reader and the CRM column recognition under a whole file of any bytes.
// Reading ends (no endless loop), every record is bounded, every error names its line.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "commands/csv/csv_columns.hpp"
#include "commands/csv/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace funnelbot::commands;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    CsvReader reader(in);
    CsvColumns columns;
    bool header = true;
    // Each record consumes at least one byte, so there are at most size + 1 of them.
    for (std::size_t records = 0; records <= size + 1; ++records) {
        const auto record = reader.next();
        if (!record) return 0;
        if (!record->ok()) {
            if (record->error().message.rfind("Line ", 0) != 0) __builtin_trap();
            continue;
        }
        if (record->value().size() > 1000) __builtin_trap();
        if (header) {
            columns.read(record->value());
            header = false;
            continue;
        }
        for (auto field : {CsvField::customer, CsvField::product, CsvField::amount, CsvField::type,
                           CsvField::created}) {
            const std::string cell = columns.cell(record->value(), field);
            (void)parse_crm_type(cell);
            (void)strip_currency_code(cell);
            (void)date_part(cell);
        }
    }
    __builtin_trap();  // more records than bytes: the reader loops
}

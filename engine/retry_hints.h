// engine/retry_hints.h — the persistent retry store: RetryRecords in the hints database
// spool_directory/db/retry (engine/hints_db.h), shared by every process using the spool.
//
// A record is stored as one text line "first_failed last_try next_try expired basic_errno
// more_errno text"; the hints database keeps the time it was written, which becomes
// RetryRecord::time_stamp. When the database cannot be opened, retry_store_open() returns an
// in-memory store (hints are advice: retry history is then kept for this process only).
#pragma once

#include <memory>
#include <string>

#include "engine/retry_store.h"

namespace engine {

std::unique_ptr<RetryStore> retry_store_open(const std::string& spool_directory,
                                             std::string* error = nullptr);

// The text form of a record (for the store and for tests).
std::string retry_record_format(const RetryRecord& r);
bool retry_record_parse(std::string_view text, RetryRecord& r);

}  // namespace engine

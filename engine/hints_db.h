// engine/hints_db.h — hints databases under spool_directory/db/ (spec chapter 59, "Exim
// utilities", on Exim's hints): rates for the ratelimit ACL condition now, retry times for
// delivery later. Each is a small key → record store that survives the process, is shared by
// every thread of a process and by every process using the spool, and stays bounded.
//
// A record is the time it was written (microseconds since the epoch) and a byte string the
// caller defines. update() is the read-modify-write every user needs (a rate is read,
// recomputed and written back; a retry record is read and extended): it runs under the lock,
// so concurrent processes and threads never lose an update.
//
// Storage (facteur's own format, db/NAME.fdb): a header line, then an append-only log of
// records [u32 payload length][u64 FNV-1a of the payload][payload = u8 op, i64 time, u32 key
// length, key, data]; the last record for a key wins, op 2 deletes. Every operation takes a
// flock() on db/NAME.fdb.lockfile (shared to read, exclusive to write) after the in-process
// mutex, then reads what other processes appended since its last look into an in-memory
// index. A crash can only leave a torn last record: its length or checksum fails, it is
// ignored, and the next writer cuts it off. Appends are not fsynced (hints may lose their last
// updates on a power failure, as Exim's may); compaction writes the live records to a
// temporary file, fsyncs it and renames it over the log, which other processes notice by its
// new inode. Compaction runs when the log holds more than twice the live data, and drops
// records older than max_age and, beyond max_records, the oldest ones: the file stays bounded.
//
// Failures (the directory or files cannot be created, opened, locked or written) come back as
// util::Error naming the path and the errno text. Hints are advice: callers go on without
// them, as Exim does when a hints database cannot be opened.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/result.h"

namespace engine {

struct HintsRecord {
  int64_t written_us = 0;  // when it was written, microseconds since the epoch
  std::string data;
  bool operator==(const HintsRecord&) const = default;
};

struct HintsOptions {
  int64_t max_age_seconds = 30 * 86400;  // older records expire (exim_tidydb's default)
  size_t max_records = 100000;
  std::function<int64_t()> clock;  // microseconds since the epoch; default: the system clock
};

class HintsDb {
 public:
  // The database spool_directory/db/NAME, created (with db/, but not the spool directory)
  // when missing. Within a process
  // the same path gives the same object, so every thread shares one index.
  static util::Result<std::shared_ptr<HintsDb>> open(const std::string& spool_directory,
                                                     const std::string& name,
                                                     HintsOptions options = {});
  ~HintsDb();
  HintsDb(const HintsDb&) = delete;
  HintsDb& operator=(const HintsDb&) = delete;

  // The live record for `key`, or nullopt (absent or expired).
  util::Result<std::optional<HintsRecord>> get(std::string_view key);
  util::Result<bool> put(std::string_view key, std::string_view data);
  util::Result<bool> remove(std::string_view key);
  // Read-modify-write under the lock: `fn` sees the live record (or nullopt) and returns the
  // new data, written with the current time, or nullopt to leave things as they are.
  using Updater = std::function<std::optional<std::string>(const std::optional<HintsRecord>&)>;
  util::Result<bool> update(std::string_view key, const Updater& fn);
  // Every live record, in no particular order (for listings and tidying).
  util::Result<bool> for_each(
      const std::function<void(std::string_view key, const HintsRecord&)>& fn);
  // Rewrites the log with only the live records.
  util::Result<bool> compact();

  const std::string& path() const { return path_; }

 private:
  HintsDb(std::string path, HintsOptions options);
  class Lock;  // the mutex and the flock, for one operation

  util::Result<bool> open_lockfile();
  util::Result<bool> sync_index();  // catches up with the file (under the lock)
  util::Result<bool> reload();
  void read_records(const std::string& bytes, size_t pos, uint64_t base);
  util::Result<bool> append(uint8_t op, std::string_view key, std::string_view data);
  util::Result<bool> compact_locked();
  bool expired(const HintsRecord& r) const;
  int64_t now() const;

  std::string path_;
  HintsOptions opts_;
  std::mutex mu_;
  int lock_fd_ = -1;
  pid_t lock_pid_ = 0;  // a child process reopens the lockfile (flock is per open file)
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  uint64_t read_to_ = 0;  // end of the last good record read
  uint64_t live_bytes_ = 0;
  std::unordered_map<std::string, HintsRecord> index_;
};

}  // namespace engine

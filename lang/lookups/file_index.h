// lang/lookups/file_index.h — lookup files read whole, parsed once per process and shared by
// every evaluation context, re-read when the file changes (device, inode, size or mtime).
//
// Exim re-reads an lsearch file on every lookup (and caches results); parsing it once into
// an index keyed by file keeps lookups at hash-table speed while still seeing edits at once:
// each use costs one stat(). A caller may trust a handle's index for a while instead
// (LookupCache::set_file_check_interval(); -be uses one second), so that a run of lookups
// costs one stat() per interval.
//
// Paths: Exim runs with "/" as its working directory, so a relative file name is taken from
// the root; lookup_file_path() gives the name to open. Messages keep the name as written.
//
// Failure: get() returns null with errno in `err` when the file cannot be opened or read,
// kNotRegularFile when it is not a regular file.
// Thread-safe: indexes are immutable once built and handed out as shared_ptr.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace lang {

struct FileStamp {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = -1;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The name to open for a lookup file (relative names from "/").
std::string lookup_file_path(const std::string& path);
// stat() of the file; false when it cannot be stat'ed.
bool file_stamp(const std::string& path, FileStamp& out);
// `err` value of file_read()/get() for a name that is not a regular file (a directory, a
// FIFO): lookup types word this error themselves.
constexpr int kNotRegularFile = -1;

// Reads the whole file; false with errno (or kNotRegularFile) in `err` on failure. `stamp`
// is taken from the open descriptor.
bool file_read(const std::string& path, std::string& content, FileStamp& stamp, int& err);

// When a handle's file was last checked against the disk.
struct FileCheck {
  int64_t at_ns = INT64_MIN;  // CLOCK_MONOTONIC_COARSE; never checked
};
// True when a file last checked at `c` is due for a new stat() (always, for an interval of
// 0), noting the time of this check.
bool file_check_due(FileCheck& c, int64_t interval_ns);

// Index must have `static std::shared_ptr<const Index> build(std::string content)`.
template <class Index>
class FileIndexCache {
 public:
  std::shared_ptr<const Index> get(const std::string& path, int& err) {
    FileStamp now;
    bool have = file_stamp(path, now);
    if (have) {
      std::lock_guard<std::mutex> lk(mu_);
      auto it = map_.find(path);
      if (it != map_.end() && it->second.first == now) return it->second.second;
    }
    std::string content;
    if (!file_read(path, content, now, err)) return nullptr;
    std::shared_ptr<const Index> idx = Index::build(std::move(content));
    std::lock_guard<std::mutex> lk(mu_);
    map_[path] = {now, idx};
    return idx;
  }

  // Replaces `idx` by the file's current index when the check is due and the file can be
  // read; a file that vanished keeps its last contents, as an open descriptor would.
  void refresh(const std::string& path, std::shared_ptr<const Index>& idx, FileCheck& check,
               int64_t interval_ns) {
    if (!file_check_due(check, interval_ns)) return;
    int err = 0;
    if (auto fresh = get(path, err)) idx = std::move(fresh);
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::pair<FileStamp, std::shared_ptr<const Index>>> map_;
};

}  // namespace lang

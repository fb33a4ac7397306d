// engine/spool_io.h — small file-system helpers shared by the spool modules (internal).
//
// All return false with errno set on failure; none throws.
#pragma once

#include <string>
#include <string_view>

namespace engine {

// The temporary name a spool file is written under before its rename: "PATH.tmp".
std::string spool_temp_path(std::string_view final_path);
// Takes an exclusive fcntl (open file description) lock on the whole file, without waiting.
bool spool_lock(int fd);
// True when the file at `path` is locked by someone else (an fcntl lock of any kind).
bool spool_is_locked(const std::string& path);
// write() until everything is written (retrying on EINTR and short writes).
bool spool_write_all(int fd, std::string_view data);
// fsync() of a directory.
bool spool_sync_dir(const std::string& dir);
// True when, on the file system holding `dir`, fsync() of a file renamed in `dir` also makes
// the rename durable, so that the directory needs no fsync of its own: ext4 with a journal
// (the rename stamps the file's ctime in the same journal transaction as the directory
// change, and fsync commits up to the file's last transaction) and XFS (likewise through
// its log). Anything else, ext4 without a journal included, says false.
bool spool_fsync_covers_rename(const std::string& dir);
// Renames `from` to `to`, failing with EEXIST rather than replacing an existing `to`.
bool spool_rename_new(const std::string& from, const std::string& to);
// Creates `path` for writing (O_EXCL, mode 0640); -1 with errno on failure.
int spool_create(const std::string& path);

// Entries of the spool's directories are created and renamed by many threads at once (the
// daemon's workers, the committer's sync threads). The kernel serializes them on the
// directory's lock anyway, and spins while waiting for it: with a slow inode allocation (ext4
// without a journal skips recently deleted inodes one by one) that spinning was a quarter of
// the daemon's CPU, so on such a file system changes to a directory take a mutex of the
// process around them, and the waiters sleep instead; it never covers an fsync. Elsewhere
// creations are quick, and the mutex would only make threads wait for each other's changes
// to other files (8% fewer messages a second on journaled ext4), so it is not taken.
class SpoolDirGuard {
 public:
  explicit SpoolDirGuard(const std::string& path);  // a file in the directory that changes
  ~SpoolDirGuard();
  SpoolDirGuard(const SpoolDirGuard&) = delete;
  SpoolDirGuard& operator=(const SpoolDirGuard&) = delete;

 private:
  bool locked_;
};

}  // namespace engine

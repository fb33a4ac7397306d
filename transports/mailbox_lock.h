// transports/mailbox_lock.h — the locks appendfile takes on a mailbox file (spec 26.3,
// "Operational details for appending"): a lock file built so that it works over NFS (a
// "hitching post" file hard-linked to NAME.lock), and fcntl() or flock() locks on the open file.
//
// fcntl locks are taken as open-file-description locks (F_OFD_SETLK): they conflict with the
// classic POSIX locks that MUAs and other MTAs take, and — unlike those — also between threads of
// one process, which matters when one process runs several deliveries at once. A timeout of 0
// means one non-blocking attempt; a positive timeout retries every few milliseconds until it
// passes (no SIGALRM, so it is safe in threads).
//
// Failure: Busy when someone else holds the lock; Error (with errno text in `err`) when the
// lock cannot be taken at all (no permission to create the lock file, an I/O error).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace transports {

enum class LockResult : unsigned char { Ok, Busy, Error };

// Creates `lockname` (mode `mode`). An existing lock file older than `stale_after` seconds is
// removed first. `host` goes into the hitching post's name.
LockResult dotlock_acquire(const std::string& lockname, mode_t mode, int64_t stale_after,
                           const std::string& host, std::string& err);
void dotlock_release(const std::string& lockname);

// Serialises the threads of this process that deliver to the same mailbox, so that they queue
// on a mutex instead of meeting at the lock file and sleeping lock_interval. Other processes
// are kept out by the file locks as before.
class MailboxMutex {
 public:
  explicit MailboxMutex(const std::string& path);
  MailboxMutex(const MailboxMutex&) = delete;
  MailboxMutex& operator=(const MailboxMutex&) = delete;

 private:
  std::shared_ptr<std::mutex> m_;
  std::unique_lock<std::mutex> hold_;
};

LockResult fcntl_lock(int fd, int64_t timeout_seconds, std::string& err);
LockResult flock_lock(int fd, int64_t timeout_seconds, std::string& err);

}  // namespace transports

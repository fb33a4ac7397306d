// engine/group_sync.cpp — shared directory fsyncs (see group_sync.h).
#include "engine/group_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace engine {

bool GroupSync::sync_file(int fd) {
  return fdatasync(fd) == 0;
}

bool GroupSync::sync_directory(const std::string& path) {
  std::unique_lock lock(mu_);
  ++stats_.requests;
  Dir& d = dirs_[path];
  uint64_t ticket = ++d.requested;
  for (;;) {
    if (d.done >= ticket) {
      if (d.failed_upto >= ticket) {
        errno = d.last_errno;
        return false;
      }
      return true;
    }
    if (!d.running) break;
    cv_.wait(lock);
  }
  // Leader: this sync covers every ticket handed out so far.
  d.running = true;
  uint64_t covers = d.requested;
  ++stats_.syncs;
  lock.unlock();
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = fd >= 0 && fsync(fd) == 0;
  int err = errno;
  if (fd >= 0) close(fd);
  lock.lock();
  Dir& again = dirs_[path];
  again.running = false;
  again.done = covers;
  if (!ok) {
    again.failed_upto = covers;
    again.last_errno = err;
  }
  cv_.notify_all();
  if (!ok) errno = err;
  return ok;
}

GroupSync::Stats GroupSync::stats() {
  std::lock_guard l(mu_);
  return stats_;
}

}  // namespace engine

// transports/mailbox_lock.cpp — lock files, fcntl and flock locks for mailbox files.
#include "transports/mailbox_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include "util/strings.h"

namespace transports {
namespace {

std::string hitching_post(const std::string& lockname, const std::string& host) {
  static std::atomic<unsigned> counter{0};
  char buf[64];
  std::snprintf(buf, sizeof buf, ".%08lx.%08x.%x", static_cast<unsigned long>(time(nullptr)),
                static_cast<unsigned>(getpid()), counter.fetch_add(1));
  return lockname + "." + host + buf;
}

// Repeats `attempt` (which returns Ok, Busy or Error) until it is not Busy or time runs out.
template <class F>
LockResult with_timeout(int64_t timeout_seconds, F attempt) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    LockResult r = attempt();
    if (r != LockResult::Busy || std::chrono::steady_clock::now() >= deadline) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

LockResult dotlock_acquire(const std::string& lockname, mode_t mode, int64_t stale_after,
                           const std::string& host, std::string& err) {
  std::string post = hitching_post(lockname, host);
  int fd = open(post.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    err = "failed to create hitching post " + post + ": " + util::errno_text(errno);
    return LockResult::Error;
  }
  close(fd);
  int rc = link(post.c_str(), lockname.c_str());
  int link_errno = errno;
  struct stat st {};
  bool linked = rc == 0 || (stat(post.c_str(), &st) == 0 && st.st_nlink == 2);
  unlink(post.c_str());
  if (linked) return LockResult::Ok;
  if (link_errno != EEXIST) {
    err = "failed to link hitching post to " + lockname + ": " + util::errno_text(link_errno);
    return LockResult::Error;
  }
  // Remove a lock file left behind by a crash, then let the caller try again.
  if (lstat(lockname.c_str(), &st) == 0 && stale_after > 0 &&
      time(nullptr) - st.st_mtime > stale_after)
    unlink(lockname.c_str());
  return LockResult::Busy;
}

void dotlock_release(const std::string& lockname) {
  unlink(lockname.c_str());
}

MailboxMutex::MailboxMutex(const std::string& path) {
  static std::mutex table_mutex;
  static std::map<std::string, std::weak_ptr<std::mutex>> table;
  {
    std::lock_guard<std::mutex> g(table_mutex);
    std::weak_ptr<std::mutex>& w = table[path];
    m_ = w.lock();
    if (!m_) {
      m_ = std::make_shared<std::mutex>();
      w = m_;
    }
    if (table.size() > 1024) {  // forget mailboxes nobody is delivering to
      for (auto it = table.begin(); it != table.end();)
        it = it->second.expired() ? table.erase(it) : std::next(it);
    }
  }
  hold_ = std::unique_lock<std::mutex>(*m_);
}

LockResult fcntl_lock(int fd, int64_t timeout_seconds, std::string& err) {
  return with_timeout(timeout_seconds, [&] {
    struct flock fl {};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(fd, F_OFD_SETLK, &fl) == 0) return LockResult::Ok;
    if (errno == EAGAIN || errno == EACCES || errno == EINTR) return LockResult::Busy;
    err = util::errno_text(errno);
    return LockResult::Error;
  });
}

LockResult flock_lock(int fd, int64_t timeout_seconds, std::string& err) {
  return with_timeout(timeout_seconds, [&] {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return LockResult::Ok;
    if (errno == EWOULDBLOCK || errno == EINTR) return LockResult::Busy;
    err = util::errno_text(errno);
    return LockResult::Error;
  });
}

}  // namespace transports

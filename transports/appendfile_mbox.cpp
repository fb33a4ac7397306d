// transports/appendfile_mbox.cpp — appending to a mailbox file (spec 26.3): security checks,
// lock file and fcntl/flock locks with retries, quota, the write itself, and putting the file
// back as it was when the write fails.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "transports/appendfile.h"
#include "transports/mailbox_lock.h"
#include "util/strings.h"

namespace transports::appendfile {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// Checks an existing mailbox (spec 26.3): type, owner, group, mode. Returns a Defer result
// when delivery must not go on, else an Ok result.
AddressResult check_existing(Context& c, const std::string& path, const struct stat& st) {
  const Options& o = c.opt;
  bool fifo = S_ISFIFO(st.st_mode) && o.allow_fifo;
  if (!S_ISREG(st.st_mode) && !fifo)
    return defer_result("mailbox " + path + " is not a regular file");
  if (o.check_owner && st.st_uid != c.prep.id.uid)
    return defer_result("mailbox " + path + " has wrong uid (" + std::to_string(st.st_uid) +
                        " != " + std::to_string(c.prep.id.uid) + ")");
  if (o.check_group && st.st_gid != c.prep.id.gid)
    return defer_result("mailbox " + path + " has wrong gid (" + std::to_string(st.st_gid) +
                        " != " + std::to_string(c.prep.id.gid) + ")");
  mode_t have = st.st_mode & 07777;
  if (have != o.mode && !fifo) {
    bool narrower = (have | o.mode) == o.mode;
    if (!narrower) {
      chmod(path.c_str(), o.mode);  // wider than allowed: reduce it
    } else if (o.mode_fail_narrower) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " (%04o, should be %04o)", have, o.mode);
      return defer_result("mailbox " + path + " has the wrong mode" + std::string(buf));
    }
  }
  return ok_result();
}

// Opens the mailbox for appending, creating it when missing. `created` tells which.
AddressResult open_mailbox(Context& c, const Target& t, Fd& fd, bool& created) {
  const Options& o = c.opt;
  const std::string& path = t.path;
  int nofollow = o.allow_symlink ? 0 : O_NOFOLLOW;
  for (int loop = 0; loop < 10; ++loop) {
    struct stat st {};
    bool exists = lstat(path.c_str(), &st) == 0;
    if (!exists && errno != ENOENT) return write_error("failed to lstat mailbox " + path, errno);
    if (exists && S_ISLNK(st.st_mode)) {
      if (!o.allow_symlink) return defer_result("mailbox " + path + " is a symbolic link");
      exists = stat(path.c_str(), &st) == 0;
    }
    if (exists) {
      if (AddressResult r = check_existing(c, path, st); r.outcome != Outcome::Ok) return r;
      fd.reset(open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | nofollow));
      if (fd.get() < 0 && errno == ENOENT) continue;  // vanished: start again
      if (fd.get() < 0) return write_error("failed to open mailbox " + path, errno);
      struct stat now {};
      fstat(fd.get(), &now);
      if (now.st_ino != st.st_ino || now.st_dev != st.st_dev || now.st_uid != st.st_uid) {
        AddressResult r = defer_result("mailbox " + path + " changed while being opened");
        r.freeze = true;
        return r;
      }
      created = false;
      return ok_result();
    }
    if (o.file_must_exist) return defer_result("file " + path + " does not exist");
    if (std::string err = check_create_file(o.create_file, c.prep.home, path); !err.empty())
      return defer_result(err);
    fd.reset(
        open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | nofollow, o.mode));
    if (fd.get() < 0 && errno == EEXIST) continue;  // someone made it: check it as existing
    if (fd.get() < 0) return write_error("failed to create mailbox " + path, errno);
    fchmod(fd.get(), o.mode);
    created = true;
    return ok_result();
  }
  AddressResult r = defer_result("mailbox " + path + " keeps appearing and disappearing");
  r.freeze = true;
  return r;
}

// The write, with quota check, sync and rollback. The file is open and locked.
AddressResult append(Context& c, const Target& t, const Writing& w, int fd, bool created) {
  struct stat st {};
  fstat(fd, &st);
  int64_t before = t.mailbox_size >= 0 ? t.mailbox_size : st.st_size;
  int64_t msg_size = message_size(w);
  if (t.quota > 0 && !t.quota_no_check &&
      (c.opt.quota_is_inclusive ? before + msg_size > t.quota : before > t.quota)) {
    AddressResult r = defer_result("mailbox is full");
    r.error = ErrorKind::Quota;
    return r;
  }
  int err = 0;
  Sink sink = fd_sink(fd, err);
  auto written = write_message(*w.message, w.edits, w.write, sink);
  bool synced = written && c.durability.sync_file(fd);
  if (!synced) {
    if (err == 0) err = errno;
    if (!written && err == 0) return defer_result(written.error().message);
    if (ftruncate(fd, st.st_size) == 0) {
      timespec times[2] = {st.st_atim, st.st_mtim};
      futimens(fd, times);
    }
    return write_error("error while writing to " + t.path, err);
  }
  if (created && !c.durability.sync_directory(parent_of(t.path)))
    return write_error("failed to sync directory of " + t.path, errno);
  maybe_warn(c, t, before, before + *written);
  return ok_result();
}

// One attempt at taking every lock; Busy sends the caller round again.
LockResult take_locks(Context& c, int fd, std::string& which, std::string& err) {
  const Options& o = c.opt;
  if (o.use_fcntl_lock) {
    which = "fcntl";
    if (LockResult r = fcntl_lock(fd, o.lock_fcntl_timeout, err); r != LockResult::Ok) return r;
  }
  if (o.use_flock_lock) {
    which = "flock";
    if (LockResult r = flock_lock(fd, o.lock_flock_timeout, err); r != LockResult::Ok) return r;
  }
  return LockResult::Ok;
}

std::string host_name(const Context& c) {
  std::string h = c.services.primary_hostname;
  if (h.empty()) c.ex.vars().get("primary_hostname", h);
  return h.empty() ? "localhost" : h;
}

}  // namespace

AddressResult deliver_mbox(Context& c, const Target& t, const Writing& w) {
  const Options& o = c.opt;
  if (t.path == "/dev/null") return ok_result();
  if (o.create_directory) {
    if (std::string err = make_directories(t.path, o.directory_mode, false, c.durability);
        !err.empty())
      return defer_result(err);
  }
  MailboxMutex in_process(t.path);
  std::string lockname = t.path + ".lock", which = "lock file", err;
  for (int64_t attempt = 0; attempt < o.lock_retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(o.lock_interval));
    if (o.use_lockfile) {
      LockResult lr =
          dotlock_acquire(lockname, o.lockfile_mode, o.lockfile_timeout, host_name(c), err);
      if (lr == LockResult::Busy) continue;
      if (lr == LockResult::Error) return defer_result(err);
    }
    Fd fd;
    bool created = false;
    AddressResult r = open_mailbox(c, t, fd, created);
    if (r.outcome == Outcome::Ok) {
      LockResult lr = take_locks(c, fd.get(), which, err);
      if (lr == LockResult::Ok)
        r = append(c, t, w, fd.get(), created);
      else if (lr == LockResult::Error)
        r = defer_result("failed to lock mailbox " + t.path + " (" + which + "): " + err);
      else
        r.outcome = Outcome::Defer;  // busy: try again after the interval
      if (lr == LockResult::Busy) {
        fd.reset();
        if (o.use_lockfile) dotlock_release(lockname);
        which = o.use_fcntl_lock ? "fcntl" : "flock";
        continue;
      }
    }
    fd.reset();
    if (o.use_lockfile) dotlock_release(lockname);
    return r;
  }
  AddressResult r = defer_result("failed to lock mailbox " + t.path + " (" + which + ")");
  r.retry = RetryScope::None;
  return r;
}

}  // namespace transports::appendfile

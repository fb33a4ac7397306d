#include "routers/redirect_file.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "lang/lists.h"
#include "util/strings.h"

namespace routers {
namespace {

constexpr size_t kMaxFile = 64u << 20;  // more is not a redirection list

struct Opened {
  int err = 0;  // errno of open() or fstat(), 0 when the file is open
  struct stat st {};
};

bool write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = ::write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads fd to its end into `out` (at most kMaxFile + 1 bytes); false on a read error.
bool read_all(int fd, std::string& out) {
  char buf[8192];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    if (r == 0) return true;
    out.append(buf, static_cast<size_t>(r));
    if (out.size() > kMaxFile) return true;
  }
}

// Opens `path` (never blocking on a FIFO) and fstats it; returns the descriptor or -1.
int open_file(const char* path, Opened& o) {
  int fd = ::open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    o.err = errno;
    return -1;
  }
  if (::fstat(fd, &o.st) != 0) {
    o.err = errno;
    ::close(fd);
    return -1;
  }
  return fd;
}

Opened read_here(const std::string& path, std::string& data) {
  Opened o;
  int fd = open_file(path.c_str(), o);
  if (fd < 0) return o;
  if (S_ISREG(o.st.st_mode) && !read_all(fd, data)) o.err = errno;
  ::close(fd);
  return o;
}

// The child: takes uid and gid, opens the file, sends the Opened header then the contents.
// Only async-signal-safe calls: the parent may have threads.
[[noreturn]] void child_read(const char* path, uid_t uid, gid_t gid, int out) {
  Opened o;
  int fd = -1;
  if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
    o.err = errno ? errno : EPERM;
  else
    fd = open_file(path, o);
  if (!write_all(out, &o, sizeof o)) ::_exit(1);
  if (fd >= 0 && S_ISREG(o.st.st_mode)) {
    char buf[8192];
    for (;;) {
      ssize_t r = ::read(fd, buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0 || !write_all(out, buf, static_cast<size_t>(r))) break;
    }
  }
  ::_exit(0);
}

Opened read_as(const std::string& path, uid_t uid, gid_t gid, std::string& data) {
  Opened o;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    o.err = errno;
    return o;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(p[0]);
    child_read(path.c_str(), uid, gid, p[1]);
  }
  ::close(p[1]);
  if (pid < 0) {
    o.err = errno;
    ::close(p[0]);
    return o;
  }
  std::string all;
  bool ok = read_all(p[0], all);
  ::close(p[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!ok || all.size() < sizeof o) {
    o.err = EIO;
    return o;
  }
  std::copy_n(all.data(), sizeof o, reinterpret_cast<char*>(&o));
  data = all.substr(sizeof o);
  return o;
}

std::string octal(unsigned v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0%o", v);
  return buf;
}

// Exim's rda_exists: a file that cannot be opened counts as missing when it does not exist
// and its directory does (or ignore_enotdir), or for EACCES with ignore_eacces.
bool missing(const std::string& path, int err, const RedirectFileChecks& c) {
  if (err == EACCES) return c.ignore_eacces;
  if (err == ENOTDIR) return c.ignore_enotdir;
  if (err != ENOENT) return false;
  if (c.ignore_enotdir) return true;
  std::string dir = path.substr(0, path.rfind('/'));
  struct stat sb {};
  return dir.empty() || ::stat(dir.c_str(), &sb) == 0;
}

RedirectFileStatus check(const std::string& path, const Opened& o, const RedirectFileChecks& c,
                         std::string& error) {
  if (!S_ISREG(o.st.st_mode)) {
    error = path + " is not a regular file";
    return RedirectFileStatus::Error;
  }
  auto bad = static_cast<unsigned>(o.st.st_mode & static_cast<mode_t>(c.modemask));
  if (bad != 0) {
    error = "bad mode (" + octal(static_cast<unsigned>(o.st.st_mode & 07777)) + ") for " + path +
            ": " + octal(bad) + " bit(s) unexpected";
    return RedirectFileStatus::Error;
  }
  if (c.check_owner && std::find(c.owners.begin(), c.owners.end(), o.st.st_uid) == c.owners.end()) {
    error = "bad owner for " + path;
    return RedirectFileStatus::Error;
  }
  if (c.check_group && std::find(c.groups.begin(), c.groups.end(), o.st.st_gid) == c.groups.end()) {
    error = "bad group for " + path;
    return RedirectFileStatus::Error;
  }
  return RedirectFileStatus::Ok;
}

template <typename Id, typename Lookup>
bool parse_ids(const std::string& list, std::vector<Id>& out, std::string& bad, Lookup lookup) {
  lang::ListReader rd(list);
  std::string item;
  while (rd.next(item)) {
    if (!item.empty() && item.find_first_not_of("0123456789") == std::string::npos &&
        item.size() < 10) {
      out.push_back(static_cast<Id>(std::stoul(item)));
      continue;
    }
    std::optional<Id> id = lookup(item);
    if (!id) {
      bad = item;
      return false;
    }
    out.push_back(*id);
  }
  return true;
}

}  // namespace

RedirectFileStatus read_redirect_file(const std::string& path, const RedirectFileChecks& c,
                                      std::string& data, std::string& error) {
  data.clear();
  bool as_user = ::geteuid() == 0 && c.uid && c.gid && *c.uid != 0;
  Opened o = as_user ? read_as(path, *c.uid, *c.gid, data) : read_here(path, data);
  if (o.err != 0) {
    if (missing(path, o.err, c)) return RedirectFileStatus::Missing;
    error = "failed to open " + path + ": " + util::errno_text(o.err);
    return RedirectFileStatus::Error;
  }
  RedirectFileStatus st = check(path, o, c, error);
  if (st != RedirectFileStatus::Ok) return st;
  if (data.size() > kMaxFile) {
    error = path + " is too big (more than 64M)";
    return RedirectFileStatus::Error;
  }
  return RedirectFileStatus::Ok;
}

bool parse_uid_list(const std::string& list, std::vector<uid_t>& out, std::string& bad) {
  return parse_ids<uid_t>(list, out, bad, [](const std::string& name) -> std::optional<uid_t> {
    std::vector<char> buf(16384);
    struct passwd pw {};
    struct passwd* found = nullptr;
    if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
      return std::nullopt;
    return found->pw_uid;
  });
}

bool parse_gid_list(const std::string& list, std::vector<gid_t>& out, std::string& bad) {
  return parse_ids<gid_t>(list, out, bad, [](const std::string& name) -> std::optional<gid_t> {
    std::vector<char> buf(16384);
    struct group gr {};
    struct group* found = nullptr;
    if (getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || !found)
      return std::nullopt;
    return found->gr_gid;
  });
}

}  // namespace routers

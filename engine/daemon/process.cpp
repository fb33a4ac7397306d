#include "engine/daemon/process.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "engine/variables.h"
#include "util/strings.h"

namespace engine::daemon {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

bool drop_privileges(const config::Config& cfg, std::string& err) {
  if (geteuid() != 0) return true;
  std::string user = main_option(&cfg, "exim_user", "");
  if (user.empty()) return true;
  uid_t uid;
  gid_t gid;
  if (struct passwd* pw = getpwnam(user.c_str())) {
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  } else if (all_digits(user)) {
    uid = static_cast<uid_t>(std::stoul(user));
    gid = static_cast<gid_t>(uid);
  } else {
    err = "exim_user \"" + user + "\" is not a known user";
    return false;
  }
  std::string group = main_option(&cfg, "exim_group", "");
  if (struct group* gr = group.empty() ? nullptr : getgrnam(group.c_str())) {
    gid = gr->gr_gid;
  } else if (all_digits(group)) {
    gid = static_cast<gid_t>(std::stoul(group));
  }
  if (uid == 0) return true;
  if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
    err = "cannot drop privileges: " + util::errno_text(errno);
    return false;
  }
  return true;
}

long raise_fd_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  return rl.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long>(rl.rlim_cur);
}

bool detach() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid > 0) _exit(0);
  setsid();
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (null > 2) ::close(null);
  }
  return true;
}

// The pid file is opened without following a symbolic link and only if it is a regular
// file, so a link planted at its path cannot make the daemon overwrite another file
// (T-LOCAL-2); a refusal is reported on stderr and the daemon runs without one.
PidFile::PidFile(std::string path) {
  if (path.empty()) return;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fprintf(stderr, "facteur: cannot write pid file %s: %s\n", path.c_str(),
                 fd < 0 ? std::strerror(errno) : "not a regular file");
    if (fd >= 0) ::close(fd);
    return;
  }
  std::string text = std::to_string(getpid()) + "\n";
  bool ok = ::ftruncate(fd, 0) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (ok) path_ = std::move(path);
}

PidFile::~PidFile() {
  if (path_.empty()) return;
  std::ifstream in(path_);
  long pid = 0;
  if (in >> pid && pid == static_cast<long>(getpid())) ::unlink(path_.c_str());
}

}  // namespace engine::daemon

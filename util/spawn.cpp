// util/spawn.cpp — fork/exec with pipes, identity, environment; waiting with a deadline.
#include "util/spawn.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "util/strings.h"

namespace util {
namespace {

struct Pipes {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  void close_all() {
    for (int* p : {in, out, err})
      for (int i = 0; i < 2; ++i)
        if (p[i] >= 0) close(p[i]), p[i] = -1;
  }
};

// What the child reports when it cannot get as far as running the program.
enum Stage : int { kExec = 0, kSetup = 1, kIdentity = 2, kDirectory = 3 };
struct ChildFailure {
  int stage;
  int err;
};

// Only async-signal-safe calls after fork (the parent may have threads).
[[noreturn]] void child_fail(int fd, int e, int stage = kSetup) {
  ChildFailure f{stage, e};
  (void)!write(fd, &f, sizeof f);
  _exit(127);
}

void child_identity(const SpawnOptions& o, int errfd) {
  if (o.groups && setgroups(o.groups->size(), o.groups->data()) != 0 && geteuid() == 0)
    child_fail(errfd, errno, kIdentity);
  if (o.gid && *o.gid != getegid() && setgid(*o.gid) != 0) child_fail(errfd, errno, kIdentity);
  if (o.uid && *o.uid != geteuid() && setuid(*o.uid) != 0) child_fail(errfd, errno, kIdentity);
}

// execvp-like search in opts.path, with the environment given.
[[noreturn]] void child_exec(const std::vector<char*>& args, const std::vector<char*>& envp,
                             const std::vector<std::string>& candidates, int errfd) {
  int last = ENOENT;
  for (const std::string& c : candidates) {
    execve(c.c_str(), args.data(), envp.data());
    if (errno != ENOENT || last == ENOENT) last = errno;
  }
  child_fail(errfd, last, kExec);
}

std::vector<std::string> exec_candidates(const std::string& cmd, const std::string& path) {
  if (cmd.find('/') != std::string::npos || path.empty()) return {cmd};
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    std::string dir = path.substr(start, colon - start);
    out.push_back((dir.empty() ? std::string(".") : dir) + "/" + cmd);
    start = colon + 1;
  }
  return out;
}

[[noreturn]] void run_child(const std::vector<std::string>& argv, const SpawnOptions& o, Pipes& p,
                            const std::vector<std::string>& candidates) {
  int errfd = p.err[1];
  setpgid(0, 0);
  if (!o.core_dumps) {
    rlimit rl{0, 0};
    setrlimit(RLIMIT_CORE, &rl);
  }
  int in = o.stdin_pipe ? p.in[0] : open("/dev/null", O_RDONLY);
  int err_to = o.merge_stderr ? p.out[1] : open("/dev/null", O_WRONLY);
  if (in < 0 || err_to < 0 || dup2(in, 0) < 0 || dup2(p.out[1], 1) < 0 || dup2(err_to, 2) < 0)
    child_fail(errfd, errno);
  child_cloexec_from(3);
  for (int s = 1; s < NSIG; ++s) signal(s, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  child_identity(o, errfd);
  if (o.umask >= 0) umask(static_cast<mode_t>(o.umask));
  if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) child_fail(errfd, errno, kDirectory);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  child_exec(args, envp, candidates, errfd);
}

}  // namespace

void child_cloexec_from(int first) {
#ifdef CLOSE_RANGE_CLOEXEC
  if (close_range(static_cast<unsigned>(first), ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
  rlimit rl{};
  rlim_t max = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
  if (max == RLIM_INFINITY || max > 65536) max = 65536;
  for (int fd = first; fd < static_cast<int>(max); ++fd) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

Result<Spawned> spawn(const std::vector<std::string>& argv, const SpawnOptions& opts,
                      SpawnError* err) {
  auto fail = [&](std::string msg, int exec_errno) -> Result<Spawned> {
    if (err) *err = {msg, exec_errno};
    return Error{std::move(msg), {}};
  };
  if (argv.empty()) return fail("no command", 0);
  Pipes p;
  if ((opts.stdin_pipe && pipe2(p.in, O_CLOEXEC) != 0) || pipe2(p.out, O_CLOEXEC) != 0 ||
      pipe2(p.err, O_CLOEXEC) != 0) {
    int e = errno;
    p.close_all();
    return fail("pipe() failed: " + errno_text(e), 0);
  }
  std::vector<std::string> candidates = exec_candidates(argv[0], opts.path);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    p.close_all();
    return fail("fork() failed: " + errno_text(e), 0);
  }
  if (pid == 0) run_child(argv, opts, p, candidates);
  setpgid(pid, pid);
  for (int* fd : {&p.in[0], &p.out[1], &p.err[1]})
    if (*fd >= 0) close(*fd), *fd = -1;
  ChildFailure cf{kExec, 0};
  ssize_t n;
  while ((n = read(p.err[0], &cf, sizeof cf)) < 0 && errno == EINTR) {
  }
  close(p.err[0]);
  p.err[0] = -1;
  if (n > 0) {
    p.close_all();
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    switch (cf.stage) {
      case kExec:
        return fail("failed to execute " + argv[0] + ": " + errno_text(cf.err), cf.err);
      case kIdentity:
        return fail("failed to set the uid or gid for " + argv[0] + ": " + errno_text(cf.err), 0);
      case kDirectory:
        return fail("failed to chdir to " + opts.cwd + ": " + errno_text(cf.err), 0);
      default:
        return fail("failed to set up the process for " + argv[0] + ": " + errno_text(cf.err), 0);
    }
  }
  Spawned s{pid, p.in[1], p.out[0]};
  return s;
}

namespace {

ChildExit decode(int st) {
  ChildExit e;
  if (WIFEXITED(st)) {
    e.exited = true;
    e.status = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    e.signaled = true;
    e.signal = WTERMSIG(st);
  }
  return e;
}

}  // namespace

void kill_child(pid_t pid) {
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
}

ChildExit wait_child(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  while (true) {
    int st = 0;
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) {
      if (pidfd >= 0) close(pidfd);
      return decode(st);
    }
    if (r < 0 && errno != EINTR) {
      if (pidfd >= 0) close(pidfd);
      return {};
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (pidfd >= 0) {
      pollfd pf{pidfd, POLLIN, 0};
      poll(&pf, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(left.count(), 5)));
    }
  }
  if (pidfd >= 0) close(pidfd);
  kill_child(pid);
  ChildExit e;
  e.timed_out = true;
  return e;
}

}  // namespace util

// util/subprocess.cpp — fork/execv with a pipe for output and a deadline.
#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "util/spawn.h"
#include "util/strings.h"

namespace util {
namespace {

// In the child of a possibly multi-threaded parent (the daemon): only async-signal-safe calls
// (no allocation: `args` is built before the fork). The daemon blocks some signals and
// ignores SIGPIPE; the command starts with the defaults.
[[noreturn]] void child_exec(char* const* args, int out_fd) {
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd >= 0) dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  child_cloexec_from(3);
  if (args[0]) execv(args[0], args);
  _exit(127);
}

// Reads until EOF or the deadline; returns false on timeout.
bool drain(int fd, std::chrono::steady_clock::time_point deadline, size_t max_output,
           std::string& out) {
  char buf[8192];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return r < 0;  // poll error: give up reading, the caller reaps the child
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    if (out.size() < max_output) out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

SubprocessResult subprocess_run(const std::vector<std::string>& argv, int timeout_seconds,
                                size_t max_output) {
  SubprocessResult res;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    res.error = errno_text(errno);
    return res;
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    res.error = errno_text(errno);
    close(fds[0]);
    close(fds[1]);
    return res;
  }
  if (pid == 0) child_exec(args.data(), fds[1]);
  close(fds[1]);
  setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  if (!drain(fds[0], deadline, max_output, res.output)) {
    res.timed_out = true;
    kill(-pid, SIGKILL);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    res.signaled = true;
    res.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    res.exit_status = WEXITSTATUS(status);
  }
  return res;
}

}  // namespace util

// util/spawn.h — starts a program with pipes to its standard input and from its standard
// output and error, under a chosen identity, environment and directory; waits for it with a
// deadline. What the pipe and lmtp transports (and transport filters) run commands with.
//
// Contract: the child runs in a new process group (so that a timeout kills everything it
// started), with exactly the environment given, the umask, current directory, gid, groups and
// uid asked for (identity changes need root; they are skipped when the values are already the
// process's). A command name without '/' is searched in `path` (colon-separated), as execvp
// does. If exec() fails, spawn() reports it as an error carrying the errno, so callers can tell
// "could not run" from "ran and exited 127"; the child is reaped. Descriptors are close-on-exec,
// and the child gets no other descriptor than 0, 1 and 2: whatever this process holds or
// inherited (spool and log files, sockets, a caller's descriptors) is closed at exec.
// Failure: util::Error with the failing step and errno text; `exec_errno` says which errno.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/result.h"

namespace util {

struct SpawnOptions {
  std::vector<std::string> env;  // "NAME=value", the child's whole environment
  std::string path;              // search path for a command without '/'
  std::string cwd;               // "" leaves the current directory alone
  int umask = -1;                // -1: unchanged
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
  std::optional<std::vector<gid_t>> groups;  // supplementary groups (when changing identity)
  bool core_dumps = false;                   // false: RLIMIT_CORE 0 in the child
  bool stdin_pipe = true;                    // false: /dev/null
  bool merge_stderr = true;                  // false: standard error goes to /dev/null
};

struct Spawned {
  pid_t pid = -1;
  int to_child = -1;    // the child's standard input (-1 without stdin_pipe)
  int from_child = -1;  // its standard output and standard error
};

struct SpawnError {
  std::string message;
  int exec_errno = 0;  // set when exec() itself failed (the program was not run)
};

// On failure nothing is left running and no descriptor is left open.
Result<Spawned> spawn(const std::vector<std::string>& argv, const SpawnOptions& opts,
                      SpawnError* err = nullptr);

struct ChildExit {
  bool exited = false;  // normal exit: `status` is the exit code
  int status = 0;
  bool signaled = false;
  int signal = 0;
  bool timed_out = false;  // the deadline passed: the group was killed with SIGKILL
};

// Waits for `pid` until `deadline`; on expiry kills its process group and reaps it.
ChildExit wait_child(pid_t pid, std::chrono::steady_clock::time_point deadline);
// Kills the process group of `pid` (SIGKILL) and reaps the child.
void kill_child(pid_t pid);

// In a child between fork and exec (async-signal-safe): every descriptor from `first` on is
// marked close-on-exec, so the program started inherits none of them (T-LOCAL-3).
void child_cloexec_from(int first);

}  // namespace util

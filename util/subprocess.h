// util/subprocess.h — runs a program directly (fork + execv, no shell, no PATH search) and
// collects what it writes.
//
// Contract: standard input is /dev/null; standard output and standard error share one pipe
// whose content is returned. The child runs in its own process group, which is killed when
// the time limit passes. A program that cannot be executed exits with 127, as shells do.
// Output beyond `max_output` bytes is read and discarded. Failure to fork or to create the
// pipe is reported through `error` (errno text); everything else is in the result.
#pragma once

#include <string>
#include <vector>

namespace util {

struct SubprocessResult {
  int exit_status = 0;  // valid when !signaled && !timed_out
  bool signaled = false;
  int signal = 0;
  bool timed_out = false;
  std::string output;
  std::string error;  // non-empty when the program could not be started at all
};

SubprocessResult subprocess_run(const std::vector<std::string>& argv, int timeout_seconds,
                                size_t max_output = size_t{64} << 20);

}  // namespace util

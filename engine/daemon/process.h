// engine/daemon/process.h — the daemon as a Unix process: privileges, the file-descriptor
// limit, detaching from the terminal, the pid file.
//
// drop_privileges() changes to exim_user/exim_group (when started as root and exim_user is
// set); it fails with a message naming the unknown user or the system error.
// raise_fd_limit() raises RLIMIT_NOFILE's soft limit to the hard limit (every session holds a
// socket; 10,000 sessions need more than the usual 1024) and returns the new soft limit.
// detach() forks (the parent exits 0), starts a new session and points 0-2 at /dev/null.
// PidFile writes "PID\n" and removes the file on destruction if it still holds our pid.
#pragma once

#include <string>

#include "engine/config/config.h"

namespace engine::daemon {

bool drop_privileges(const config::Config& cfg, std::string& err);
long raise_fd_limit();
bool detach();

class PidFile {
 public:
  PidFile() = default;
  explicit PidFile(std::string path);
  ~PidFile();
  PidFile(const PidFile&) = delete;
  PidFile& operator=(const PidFile&) = delete;

 private:
  std::string path_;  // empty: nothing written
};

}  // namespace engine::daemon

// engine/daemon/daemon.h — `facteur -bd`: the SMTP listener (spec chapter 5 "-bd", chapter 14
// options local_interfaces, daemon_smtp_ports, tls_on_connect_ports, smtp_accept_max,
// smtp_accept_max_per_host, smtp_receive_timeout, pid_file_path).
//
// One process, one thread of sessions: an epoll loop multiplexes every connection, each an
// smtp::Session state machine, so an idle session costs its buffers and state, not a process
// (Exim forks one per connection). SIGHUP re-reads the configuration: new connections use the
// new one, live sessions finish under the one they started with. SIGTERM/SIGINT stop
// accepting, let nothing half-written be acknowledged, and exit. Started as root, the daemon
// binds its ports and then drops to exim_user/exim_group.
#pragma once

#include <memory>
#include <string>

#include "engine/acl.h"
#include "engine/cli.h"
#include "engine/config/config.h"

namespace engine::daemon {

struct Runtime {
  config::Config cfg;
  acl::AclSet acls;
};

struct DaemonOptions {
  bool foreground = false;        // -bdf
  std::string ox;                 // -oX
  std::string pid_file;           // -oP
  config::ReadOptions read_opts;  // to re-read the configuration on SIGHUP
};

// Runs the daemon until SIGTERM. Returns the exit status.
int run_daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& opts);

}  // namespace engine::daemon

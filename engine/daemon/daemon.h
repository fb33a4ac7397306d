// engine/daemon/daemon.h — `facteur -bd`: the SMTP listener (spec chapter 5 "-bd", chapter 14
// options local_interfaces, daemon_smtp_ports, tls_on_connect_ports, smtp_accept_max,
// smtp_accept_max_per_host, smtp_accept_reserve, smtp_receive_timeout, pid_file_path).
//
// One process: an epoll loop on one thread multiplexes every connection and moves its bytes
// (and TLS records); the SMTP sessions (smtp::Session, with their ACLs and expansions) run on
// a bounded pool of worker threads, one piece of work per connection at a time
// (connection.h); spool commits are grouped by one committer thread (spool.h). An idle
// session costs its buffers and state, not a process (Exim forks one per connection).
// SIGHUP re-reads the configuration: new connections use the new one, live sessions finish
// under the one they started with. SIGTERM/SIGINT stop accepting, answer every session 421
// once its message in progress (if any) is committed or abandoned, and exit. Started as
// root, the daemon binds its ports and then drops to exim_user/exim_group.
#pragma once

#include <memory>
#include <string>

#include "engine/acl.h"
#include "engine/cli.h"
#include "engine/config/config.h"
#include "engine/named_lists.h"

namespace engine::daemon {

// A configuration as the sessions started under it use it (shared, never changed).
struct Runtime {
  Runtime(config::Config c, acl::AclSet a) : cfg(std::move(c)), acls(std::move(a)), lists(cfg) {}
  config::Config cfg;
  acl::AclSet acls;
  ConfigNamedLists lists;  // one copy for every session
};

struct DaemonOptions {
  bool foreground = false;        // -bdf
  std::string ox;                 // -oX
  std::string pid_file;           // -oP
  config::ReadOptions read_opts;  // to re-read the configuration on SIGHUP
  int64_t queue_interval = 0;     // -q<time>: seconds between queue runs (0: none)
};

// Runs the daemon until SIGTERM. Returns the exit status.
int run_daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& opts);

}  // namespace engine::daemon

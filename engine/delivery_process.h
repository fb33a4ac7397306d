// engine/delivery_process.h — the daemon's delivery side (spec chapter 5 "-bd", "-q<time>";
// chapter 14 queue_only, queue_run_max): a long-lived child process of `facteur -bd` that
// delivers each accepted message at once and, with -q<time>, runs the queue periodically.
//
// The daemon forks it before dropping its privileges, so deliveries keep root's power to
// write users' mailboxes while the SMTP side runs as exim_user. The daemon's only work per
// message is notify(id) after the commit: one write() of "ID\n" to a non-blocking pipe from
// the committer thread, so the event loop is never held up by a delivery. In the child, a
// DeliveryService (engine/delivery_service.h) delivers on a pool of threads; a queue run,
// when due, runs on a thread of its own while new ids keep arriving. A full pipe only delays
// a message to the next queue run; a message being delivered is locked, so a queue run and an
// immediate delivery never deliver the same message twice.
//
// Lifetime: the child ends when the pipe closes (the daemon exited), after the deliveries in
// hand. SIGHUP makes it re-read the configuration between deliveries.
//
// Failure: start() returns an Error when the pipe or the fork fails; the child logs its own
// start-up errors (a bad router or transport) to the panic log and exits, leaving messages
// queued.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "engine/config/config.h"
#include "util/result.h"

namespace engine {

struct DeliveryProcessOptions {
  int64_t queue_interval = 0;       // seconds between queue runs; 0: none
  bool deliver_immediately = true;  // false with queue_only: notify() does nothing
  config::ReadOptions read_opts;    // to re-read the configuration on SIGHUP
};

class DeliveryProcess {
 public:
  DeliveryProcess() = default;
  DeliveryProcess(DeliveryProcess&& o) noexcept;
  DeliveryProcess& operator=(DeliveryProcess&& o) noexcept;
  ~DeliveryProcess();

  // Forks the delivery process. `close_in_child` are descriptors the child must not keep
  // (listening sockets).
  static util::Result<DeliveryProcess> start(const config::Config& cfg,
                                             const DeliveryProcessOptions& o,
                                             const std::vector<int>& close_in_child);
  // Asks for an immediate delivery of `id`. Thread-safe, never blocks.
  void notify(std::string_view id) const;
  void reload() const;  // forwards SIGHUP
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  bool immediate_ = true;
};

// The child's main loop (exposed for tests): reads ids from `fd` until end of file.
int delivery_process_main(const config::Config& cfg, const DeliveryProcessOptions& o, int fd);

}  // namespace engine

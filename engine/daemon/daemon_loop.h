// engine/daemon/daemon_loop.h — the daemon's state and event loop (private to engine/daemon).
//
// daemon.cpp: start-up (listeners, TLS, privileges, fork, spool, threads), signals, SIGHUP
// reload and SIGTERM stop. daemon_loop.cpp: the epoll loop itself — accepting within the
// limits (smtp_accept_max, smtp_accept_max_per_host; smtp_accept_reserve is decided by the
// session, which may need host lists), dispatching socket readiness and worker/committer
// events to connections, receive timeouts and `delay =` holds.
//
// Everything here runs on the loop thread; workers reach it only through LoopQueue.
#pragma once

#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/daemon/connection.h"
#include "engine/daemon/daemon.h"
#include "engine/daemon/listen_spec.h"
#include "engine/daemon/process.h"
#include "engine/daemon/session_host.h"
#include "engine/daemon/tls.h"

namespace engine::daemon {

class Daemon {
 public:
  using Clock = std::chrono::steady_clock;
  // epoll tags: connections are their serial numbers (below 2^60).
  static constexpr uint64_t kListenTag = 1ull << 63;
  static constexpr uint64_t kSignalTag = 1ull << 62;
  static constexpr uint64_t kEventsTag = 1ull << 61;
  static constexpr int kStopGraceSeconds = 10;  // SIGTERM: time for sessions to finish work

  Daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& o)
      : rt_(std::move(rt)), opts_(o) {}
  ~Daemon();
  int run();

 private:
  struct Listener {
    int fd;
    ListenAddress addr;
    bool paused = false;  // out of descriptors: not polled until the next sweep
  };
  // A connection and what epoll knows about it.
  struct Slot {
    std::unique_ptr<Connection> conn;
    uint32_t events = 0;
    bool polled = true;
  };

  // daemon.cpp
  bool setup(std::string& err);
  bool start_delivery(std::string& err);
  bool setup_loop(std::string& err);
  bool setup_spool(std::string& err);
  bool handle_signals();  // false: stop now
  void reload();
  void begin_stop();

  // daemon_loop.cpp
  void poll(int fd, uint64_t tag, uint32_t events);
  bool loop_once();  // false: the daemon is done
  void accept_from(Listener& l);
  bool refused(const std::string& ip, int fd);
  int64_t max_per_host(const std::string& ip);
  void add_connection(int fd, const std::string& ip, int port, const Listener& l);
  void on_connection(uint64_t serial, uint32_t events);
  void on_loop_events();
  void rearm(uint64_t serial);
  void close_conn(uint64_t serial);
  void sweep();
  void run_holds();
  int wait_ms() const;

  std::shared_ptr<const Runtime> rt_;
  DaemonOptions opts_;
  std::shared_ptr<const TlsServer> tls_;
  DaemonShared shared_;
  std::unique_ptr<WorkerPool> pool_;
  std::unordered_map<uint64_t, Slot> conns_;
  std::map<std::string, int> per_host_;
  std::set<std::pair<Clock::time_point, uint64_t>> holds_;  // `delay =` output due
  std::vector<Listener> listeners_;
  uint64_t next_serial_ = 1;
  int ep_ = -1;
  int sigfd_ = -1;
  std::time_t last_sweep_ = 0;
  bool stopping_ = false;
  std::time_t stop_deadline_ = 0;
  std::unique_ptr<PidFile> pid_file_;
};

}  // namespace engine::daemon

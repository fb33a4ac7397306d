#include "engine/daemon/daemon.h"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "engine/config/main_options.h"
#include "engine/daemon/daemon_loop.h"
#include "engine/daemon/sockets.h"
#include "engine/spool_config.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine::daemon {

Daemon::~Daemon() {
  if (pool_) pool_->stop();
  shared_.committer.reset();  // commits what is queued
  conns_.clear();
  for (auto& l : listeners_)
    if (l.fd >= 0) ::close(l.fd);
  if (sigfd_ >= 0) ::close(sigfd_);
  if (ep_ >= 0) ::close(ep_);
}

// Before the fork: what can fail with a message on the terminal (addresses, TLS files,
// binding), then the descriptor limit and privileges.
bool Daemon::setup(std::string& err) {
  auto addrs = listen_addresses(rt_->cfg, opts_.ox);
  if (!addrs) {
    err = addrs.error().message;
    return false;
  }
  auto tls = TlsServer::create(rt_->cfg);
  if (!tls) {
    err = tls.error().message;
    return false;
  }
  tls_ = std::move(*tls);
  for (const auto& a : *addrs) {
    std::string e;
    int fd = open_listener(a, e);
    if (fd < 0) {
      err = "socket bind() to port " + std::to_string(a.port) + " for address " + a.address +
            " failed: " + e;
      return false;
    }
    listeners_.push_back({fd, a});
  }
  raise_fd_limit();
  return true;
}

// After detaching, before privileges are dropped: the delivery process keeps root's rights
// for local deliveries (engine/delivery_process.h).
bool Daemon::start_delivery(std::string& err) {
  DeliveryProcessOptions o;
  o.queue_interval = opts_.queue_interval;
  o.deliver_immediately = !config::main_bool(rt_->cfg, "queue_only");
  o.read_opts = opts_.read_opts;
  std::vector<int> fds;
  for (const auto& l : listeners_) fds.push_back(l.fd);
  auto d = DeliveryProcess::start(rt_->cfg, o, fds);
  if (!d) {
    err = d.error().message;
    return false;
  }
  shared_.delivery = std::move(*d);
  return drop_privileges(rt_->cfg, err);
}

// After the fork: the epoll set, the signalfd and the threads belong to the process that
// runs them (threads and a signalfd's epoll registration do not survive fork()). Signals are
// blocked before any thread starts, so that only the signalfd sees them.
bool Daemon::setup_loop(std::string& err) {
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  for (size_t i = 0; i < listeners_.size(); ++i) poll(listeners_[i].fd, kListenTag | i, EPOLLIN);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGHUP, SIGTERM, SIGINT, SIGCHLD}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  sigfd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  poll(sigfd_, kSignalTag, EPOLLIN);
  poll(shared_.events.fd(), kEventsTag, EPOLLIN);
  if (!setup_spool(err)) return false;
  // Listening starts after start-up recovery: a client never sees half-written files.
  int backlog = static_cast<int>(config::main_int(rt_->cfg, "smtp_connect_backlog"));
  for (const auto& l : listeners_) {
    if (::listen(l.fd, backlog > 0 ? backlog : 20) < 0) {
      err = "listen() on port " + std::to_string(l.addr.port) + ": " + util::errno_text(errno);
      return false;
    }
  }
  pool_ = std::make_unique<WorkerPool>(WorkerPool::default_size());
  return true;
}

bool Daemon::setup_spool(std::string& err) {
  Variables vars(&rt_->cfg);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  auto lc = log_config_from_config(rt_->cfg, ctx);
  if (lc) shared_.logger = std::make_unique<Logger>(std::move(lc.value()));
  auto layout = spool_layout_from_config(rt_->cfg, ctx);
  if (!layout) {
    err = layout.error().message;
    return false;
  }
  shared_.layout = layout.value();
  if (auto st = spool_make_dirs(shared_.layout); !st) {
    err = st.error().message;
    return false;
  }
  (void)spool_recover(shared_.layout);
  shared_.committer = std::make_unique<SpoolCommitter>();
  return true;
}

bool Daemon::handle_signals() {
  signalfd_siginfo si;
  while (::read(sigfd_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
    if (si.ssi_signo == SIGHUP && !stopping_) reload();
    if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
      if (stopping_) return false;  // a second signal: stop at once
      begin_stop();
    }
  }
  return true;
}

// SIGHUP: new connections get the new configuration; live ones keep theirs (each session
// holds its Runtime). A configuration that does not load leaves everything as it was.
void Daemon::reload() {
  auto cfg = config::read_file(rt_->cfg.path, opts_.read_opts);
  if (!cfg) {
    shared_.log(kLogMain,
                "SIGHUP: configuration error, keeping the old one: " + cfg.error().message);
    return;
  }
  auto acls = acl::load(*cfg);
  if (!acls) {
    shared_.log(kLogMain,
                "SIGHUP: ACL error, keeping the old configuration: " + acls.error().message);
    return;
  }
  auto rt = std::make_shared<const Runtime>(std::move(*cfg), std::move(*acls));
  auto tls = TlsServer::create(rt->cfg);
  if (!tls) {
    shared_.log(kLogMain,
                "SIGHUP: TLS error, keeping the old configuration: " + tls.error().message);
    return;
  }
  tls_ = std::move(*tls);  // live TLS sessions keep the old one
  rt_ = std::move(rt);
  shared_.delivery.reload();
  shared_.log(kLogMain, "SIGHUP received: configuration re-read");
}

// SIGTERM: the ports are closed at once; every session ends with 421 once the work it has
// in hand is done (a message being committed gets its 250 first).
void Daemon::begin_stop() {
  stopping_ = true;
  stop_deadline_ = std::time(nullptr) + kStopGraceSeconds;
  shared_.log(kLogMain,
              "pid " + std::to_string(getpid()) + ": SIGTERM received: daemon terminating");
  for (auto& l : listeners_) {
    epoll_ctl(ep_, EPOLL_CTL_DEL, l.fd, nullptr);
    ::close(l.fd);
    l.fd = -1;
  }
  std::vector<uint64_t> serials;
  for (auto& [serial, slot] : conns_) serials.push_back(serial);
  for (uint64_t s : serials) {
    auto it = conns_.find(s);
    if (it == conns_.end()) continue;
    it->second.conn->shut_down();
    rearm(s);
  }
}

int Daemon::run() {
  std::string err;
  if (!setup(err)) {
    std::fprintf(stderr, "facteur: %s\n", err.c_str());
    return 1;
  }
  if (!opts_.foreground && !detach()) return 1;
  if (!start_delivery(err) || !setup_loop(err)) {
    shared_.log(kLogMain | kLogPanic, "daemon start-up failed: " + err);
    if (opts_.foreground) std::fprintf(stderr, "facteur: %s\n", err.c_str());
    return 1;
  }
  std::string pid_path = opts_.pid_file;
  if (pid_path.empty()) pid_path = main_option(&rt_->cfg, "pid_file_path", "");
  pid_file_ = std::make_unique<PidFile>(pid_path);
  while (loop_once()) {
  }
  bool busy = false;
  for (auto& [serial, slot] : conns_) busy = busy || slot.conn->busy();
  if (!busy) return 0;
  // A worker is stuck (a lookup that does not return): commit what is queued and leave
  // without waiting for it.
  shared_.log(kLogMain, "daemon exit with sessions still at work");
  shared_.committer.reset();
  pid_file_.reset();
  std::fflush(nullptr);
  _exit(0);
}

int run_daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& opts) {
  Daemon d(std::move(rt), opts);
  return d.run();
}

}  // namespace engine::daemon

#include "engine/daemon/daemon.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "engine/config/main_options.h"
#include "engine/daemon/connection.h"
#include "engine/daemon/listen_spec.h"
#include "engine/daemon/tls.h"
#include "engine/log.h"
#include "engine/smtp/auth_services.h"
#include "engine/smtp/spool_message.h"
#include "engine/spool.h"
#include "engine/spool_config.h"
#include "engine/variables.h"
#include "util/strings.h"

namespace engine::daemon {
namespace {

struct Listener {
  int fd;
  ListenAddress addr;
};

// What the daemon's sessions share: the logs, the spool committer (group commit across
// sessions) and the queue of finished commits handed back to the event-loop thread.
struct Shared {
  std::unique_ptr<Logger> logger;
  SpoolLayout layout;
  std::unique_ptr<SpoolCommitter> committer;
  int done_fd = -1;  // eventfd: commits finished
  std::mutex mu;
  std::vector<std::pair<uint64_t, SpoolStatus>> done;  // (connection serial, result)

  void log(unsigned dests, std::string_view line) {
    if (logger)
      logger->write(dests, line);
    else
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  }
  void post(uint64_t serial, SpoolStatus st) {
    {
      std::lock_guard<std::mutex> g(mu);
      done.emplace_back(serial, std::move(st));
    }
    uint64_t one = 1;
    (void)!::write(done_fd, &one, sizeof one);
  }
};

// The services of one connection: stores asynchronously and posts the result back.
class ConnServices : public smtp::AuthenticatingServices {
 public:
  ConnServices(Shared& sh, const config::Config& cfg, uint64_t serial)
      : AuthenticatingServices(cfg), sh_(sh), serial_(serial) {}
  void log(std::string_view line) override { sh_.log(kLogMain, line); }
  void log_reject(std::string_view line) override { sh_.log(kLogMain | kLogReject, line); }
  bool store_message_async(const smtp::Transaction& t, const std::string& id) override {
    SpoolMessage m = smtp::build_spool_message(t, id);
    auto data = SpoolData::create(sh_.layout, id);
    if (!data) return fail(data.error().message);
    auto wrote = data->write(smtp::transaction_body(t));
    if (!wrote) return fail(wrote.error().message);
    auto prepared = spool_prepare(std::move(*data), m);
    if (!prepared) return fail(prepared.error().message);
    Shared* sh = &sh_;
    uint64_t serial = serial_;
    sh_.committer->submit(std::move(*prepared),
                          [sh, serial](SpoolStatus st) { sh->post(serial, std::move(st)); });
    return true;
  }

 private:
  bool fail(std::string msg) {
    sh_.post(serial_, util::Error{std::move(msg), {}});
    return true;
  }
  Shared& sh_;
  uint64_t serial_;
};

int open_listener(const ListenAddress& la, std::string& err) {
  bool v6 = la.address.find(':') != std::string::npos;
  int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    err = util::errno_text(errno);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage ss{};
  socklen_t len;
  if (v6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(static_cast<uint16_t>(la.port));
    inet_pton(AF_INET6, la.address.c_str(), &s6->sin6_addr);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    len = sizeof *s6;
  } else {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(static_cast<uint16_t>(la.port));
    inet_pton(AF_INET, la.address.c_str(), &s4->sin_addr);
    len = sizeof *s4;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0 || ::listen(fd, 1024) < 0) {
    err = util::errno_text(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string peer_text(const sockaddr_storage& ss, int& port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET6) {
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    port = ntohs(s6->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
      inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], buf, sizeof buf);
    } else {
      inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof buf);
    }
  } else {
    auto* s4 = reinterpret_cast<const sockaddr_in*>(&ss);
    port = ntohs(s4->sin_port);
    inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof buf);
  }
  return buf;
}

// Drops root for exim_user/exim_group after the ports are bound.
bool drop_privileges(const config::Config& cfg, std::string& err) {
  if (geteuid() != 0) return true;
  std::string user = main_option(&cfg, "exim_user", "");
  if (user.empty()) return true;
  struct passwd* pw = getpwnam(user.c_str());
  uid_t uid;
  gid_t gid;
  if (pw) {
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  } else if (!user.empty() && user.find_first_not_of("0123456789") == std::string::npos) {
    uid = static_cast<uid_t>(std::stoul(user));
    gid = static_cast<gid_t>(uid);
  } else {
    err = "exim_user \"" + user + "\" is not a known user";
    return false;
  }
  std::string group = main_option(&cfg, "exim_group", "");
  if (!group.empty()) {
    struct group* gr = getgrnam(group.c_str());
    if (gr)
      gid = gr->gr_gid;
    else if (group.find_first_not_of("0123456789") == std::string::npos)
      gid = static_cast<gid_t>(std::stoul(group));
  }
  if (uid == 0) return true;
  if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) {
    err = "cannot drop privileges: " + util::errno_text(errno);
    return false;
  }
  return true;
}

class Daemon {
 public:
  Daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& o)
      : rt_(std::move(rt)), opts_(o) {}
  int run();

 private:
  bool setup(std::string& err);
  void accept_from(const Listener& l);
  void handle(Connection* c, uint32_t events);
  void rearm(Connection* c);
  void close_conn(Connection* c);
  void sweep_timeouts();
  bool handle_signals();  // false: stop
  void reload();
  void deliver_commits();
  bool setup_spool(std::string& err);
  bool setup_loop(std::string& err);
  bool over_limits(const std::string& ip, std::string& reply);
  void write_pid_file();

  std::shared_ptr<const Runtime> rt_;
  DaemonOptions opts_;
  std::unique_ptr<TlsServer> tls_;
  Shared shared_;
  uint64_t next_serial_ = 1;
  std::unordered_map<uint64_t, Connection*> by_serial_;
  std::unordered_map<int, uint64_t> serial_of_fd_;
  int ep_ = -1;
  int sigfd_ = -1;
  std::vector<Listener> listeners_;
  std::unordered_map<int, std::unique_ptr<Connection>> conns_;
  std::map<std::string, int> per_host_;
  std::time_t last_sweep_ = 0;
};

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
  return drop_privileges(rt_->cfg, err);
}

// After the fork: the event loop, signals and the spool committer thread belong to the
// process that runs them (an epoll registration of a signalfd, and threads, do not survive
// fork()).
bool Daemon::setup_loop(std::string& err) {
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  for (size_t i = 0; i < listeners_.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = (1ull << 63) | i;
    epoll_ctl(ep_, EPOLL_CTL_ADD, listeners_[i].fd, &ev);
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  sigfd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = (1ull << 62);
  epoll_ctl(ep_, EPOLL_CTL_ADD, sigfd_, &ev);
  return setup_spool(err);
}

void Daemon::write_pid_file() {
  std::string path = opts_.pid_file;
  if (path.empty()) path = main_option(&rt_->cfg, "pid_file_path", "");
  if (path.empty()) return;
  if (std::FILE* f = std::fopen(path.c_str(), "w")) {
    std::fprintf(f, "%d\n", static_cast<int>(getpid()));
    std::fclose(f);
  }
}

bool Daemon::over_limits(const std::string& ip, std::string& reply) {
  int64_t max = config::main_int(rt_->cfg, "smtp_accept_max");
  int64_t per_host = config::main_int(rt_->cfg, "smtp_accept_max_per_host");
  if (max > 0 && static_cast<int64_t>(conns_.size()) >= max) {
    reply = "421 Too many concurrent SMTP connections; please try again later.\r\n";
    return true;
  }
  if (per_host > 0 && per_host_[ip] >= per_host) {
    reply =
        "421 Too many concurrent SMTP connections from this IP address; please try again "
        "later.\r\n";
    return true;
  }
  return false;
}

void Daemon::accept_from(const Listener& l) {
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd = ::accept4(l.fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    int port = 0;
    std::string ip = peer_text(ss, port);
    std::string reply;
    if (over_limits(ip, reply)) {
      (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    smtp::SessionSettings st;
    st.client_address = ip;
    st.client_port = port;
    st.interface_address = l.addr.address;
    st.interface_port = l.addr.port;
    uint64_t serial = next_serial_++;
    auto c = std::make_unique<Connection>(fd, rt_,
                                          std::make_unique<ConnServices>(shared_, rt_->cfg, serial),
                                          st, tls_.get(), l.addr.tls_on_connect);
    by_serial_[serial] = c.get();
    serial_of_fd_[fd] = serial;
    Connection* raw = c.get();
    conns_[fd] = std::move(c);
    per_host_[ip]++;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<uint64_t>(fd);
    epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
    raw->start();
    rearm(raw);
  }
}

void Daemon::rearm(Connection* c) {
  if (c->done()) {
    close_conn(c);
    return;
  }
  epoll_event ev{};
  ev.events = (c->wants_read() ? EPOLLIN : 0u) | (c->wants_write() ? EPOLLOUT : 0u);
  ev.data.u64 = static_cast<uint64_t>(c->fd());
  epoll_ctl(ep_, EPOLL_CTL_MOD, c->fd(), &ev);
}

void Daemon::close_conn(Connection* c) {
  int fd = c->fd();
  auto it = per_host_.find(c->client_address());
  if (it != per_host_.end() && --it->second <= 0) per_host_.erase(it);
  epoll_ctl(ep_, EPOLL_CTL_DEL, fd, nullptr);
  auto s = serial_of_fd_.find(fd);
  if (s != serial_of_fd_.end()) {
    by_serial_.erase(s->second);
    serial_of_fd_.erase(s);
  }
  conns_.erase(fd);  // closes the socket
}

void Daemon::handle(Connection* c, uint32_t events) {
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) c->on_readable();
  if (!c->done() && (events & EPOLLOUT)) c->on_writable();
  rearm(c);
}

void Daemon::sweep_timeouts() {
  std::time_t now = std::time(nullptr);
  if (now == last_sweep_) return;
  last_sweep_ = now;
  std::vector<Connection*> expired, held;
  for (auto& [fd, c] : conns_) {
    if (c->held())
      held.push_back(c.get());
    else if (c->deadline() && c->deadline() <= now)
      expired.push_back(c.get());
  }
  for (Connection* c : held) {
    c->resume();
    rearm(c);
  }
  for (Connection* c : expired) {
    c->on_timeout();
    close_conn(c);
  }
}

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
  auto rt = std::make_shared<Runtime>(Runtime{std::move(*cfg), std::move(*acls)});
  auto tls = TlsServer::create(rt->cfg);
  if (tls) tls_ = std::move(*tls);  // live TLS sessions keep their own SSL objects
  rt_ = std::move(rt);
  shared_.log(kLogMain, "SIGHUP received: configuration re-read");
}

// Hands finished spool commits back to their sessions (on the event-loop thread).
void Daemon::deliver_commits() {
  uint64_t n;
  (void)!::read(shared_.done_fd, &n, sizeof n);
  std::vector<std::pair<uint64_t, SpoolStatus>> done;
  {
    std::lock_guard<std::mutex> g(shared_.mu);
    done.swap(shared_.done);
  }
  for (auto& [serial, st] : done) {
    auto it = by_serial_.find(serial);
    if (it == by_serial_.end()) continue;  // the client went away; the message is stored
    Connection* c = it->second;
    c->store_finished(st.ok(), st.ok() ? std::string() : st.error().message);
    rearm(c);
  }
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
  shared_.done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = (1ull << 61);
  epoll_ctl(ep_, EPOLL_CTL_ADD, shared_.done_fd, &ev);
  return true;
}

bool Daemon::handle_signals() {
  signalfd_siginfo si;
  while (::read(sigfd_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
    if (si.ssi_signo == SIGHUP) reload();
    if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) return false;
  }
  return true;
}

int Daemon::run() {
  std::string err;
  if (!setup(err)) {
    std::fprintf(stderr, "facteur: %s\n", err.c_str());
    return 1;
  }
  if (!opts_.foreground) {
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid > 0) _exit(0);
    setsid();
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);  // detach from the caller's terminal
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
      if (null > 2) ::close(null);
    }
  }
  if (!setup_loop(err)) {
    shared_.log(kLogMain | kLogPanic, "daemon start-up failed: " + err);
    if (opts_.foreground) std::fprintf(stderr, "facteur: %s\n", err.c_str());
    return 1;
  }
  write_pid_file();
  std::vector<epoll_event> evs(256);
  while (true) {
    int n = epoll_wait(ep_, evs.data(), static_cast<int>(evs.size()), 1000);
    for (int i = 0; i < n; ++i) {
      uint64_t tag = evs[i].data.u64;
      if (tag & (1ull << 63)) {
        accept_from(listeners_[tag & 0xffff]);
      } else if (tag & (1ull << 61)) {
        deliver_commits();
      } else if (tag & (1ull << 62)) {
        if (!handle_signals()) return 0;
      } else {
        auto it = conns_.find(static_cast<int>(tag));
        if (it != conns_.end()) handle(it->second.get(), evs[i].events);
      }
    }
    sweep_timeouts();
  }
}

}  // namespace

int run_daemon(std::shared_ptr<const Runtime> rt, const DaemonOptions& opts) {
  Daemon d(std::move(rt), opts);
  return d.run();
}

}  // namespace engine::daemon

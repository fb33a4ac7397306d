#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "engine/config/main_options.h"
#include "engine/daemon/daemon_loop.h"
#include "engine/daemon/sockets.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "util/strings.h"

namespace engine::daemon {

void Daemon::poll(int fd, uint64_t tag, uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
}

bool Daemon::loop_once() {
  epoll_event evs[256];
  int n = epoll_wait(ep_, evs, 256, wait_ms());
  for (int i = 0; i < n; ++i) {
    uint64_t tag = evs[i].data.u64;
    if (tag & kListenTag) {
      accept_from(listeners_[tag & 0xffff]);
    } else if (tag & kEventsTag) {
      on_loop_events();
    } else if (tag & kSignalTag) {
      if (!handle_signals()) return false;
    } else {
      on_connection(tag, evs[i].events);
    }
  }
  on_loop_events();  // completions posted quietly (and anything posted meanwhile)
  run_holds();
  sweep();
  if (!stopping_) return true;
  return !conns_.empty() && std::time(nullptr) < stop_deadline_;
}

// Milliseconds until the next held reply is due, at most a second (the timeout sweep).
int Daemon::wait_ms() const {
  if (holds_.empty()) return 1000;
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(holds_.begin()->first - Clock::now());
  return static_cast<int>(std::clamp<int64_t>(left.count() + 1, 0, 1000));
}

void Daemon::accept_from(Listener& l) {
  for (int i = 0; i < 64 && l.fd >= 0; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int fd = ::accept4(l.fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: stop polling this port until the next sweep rather than spin.
        shared_.log(kLogMain, "accept() failed: " + util::errno_text(errno));
        epoll_ctl(ep_, EPOLL_CTL_DEL, l.fd, nullptr);
        l.paused = true;
      }
      return;
    }
    int port = 0;
    std::string ip = peer_text(ss, port);
    if (refused(ip, fd)) continue;
    add_connection(fd, ip, port, l);
  }
}

// smtp_accept_max_per_host is expanded with $sender_host_address set, so that hosts can have
// limits of their own; unset, empty or a failed expansion means no limit (a failure is
// logged). Only the few cheap things an administrator writes here (a lookup, an ${if}) run
// in the event loop, as in Exim's daemon.
int64_t Daemon::max_per_host(const std::string& ip) {
  const config::Setting* s = rt_->cfg.find_main("smtp_accept_max_per_host");
  if (!s) return 0;
  std::string text = s->value;
  if (text.find_first_of("$\\") != std::string::npos) {
    Variables vars(&rt_->cfg);
    vars.set("sender_host_address", ip);
    lang::EvalContext ctx;
    ctx.vars = &vars;
    ctx.lists = &rt_->lists;
    lang::Program prog;
    lang::Status st = lang::Program::compile(s->value, prog);
    if (st.is_ok()) st = prog.eval(ctx, text);
    if (!st.is_ok()) {
      shared_.log(kLogMain, "expansion of smtp_accept_max_per_host failed: " + st.message());
      return 0;
    }
  }
  std::string_view t = util::trim(text);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || end != t.data() + t.size() || n < 0) {
    if (!t.empty()) shared_.log(kLogMain, "smtp_accept_max_per_host is not a number: " + text);
    return 0;
  }
  return n;
}

// smtp_accept_max and smtp_accept_max_per_host are decided here, before any session work
// (Exim's daemon does the same before it forks).
bool Daemon::refused(const std::string& ip, int fd) {
  int64_t max = config::main_int(rt_->cfg, "smtp_accept_max");
  int64_t per_host = max_per_host(ip);
  std::string reply, why;
  if (max > 0 && static_cast<int64_t>(conns_.size()) >= max) {
    reply = "421 Too many concurrent SMTP connections; please try again later.\r\n";
    why = "too many connections";
  } else if (per_host > 0 && per_host_[ip] >= per_host) {
    reply =
        "421 Too many concurrent SMTP connections from this IP address; please try again "
        "later.\r\n";
    why = "too many connections from that IP address";
  } else {
    return false;
  }
  shared_.log(kLogMain, "Connection from [" + ip + "] refused: " + why);
  (void)::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  ::close(fd);
  return true;
}

void Daemon::add_connection(int fd, const std::string& ip, int port, const Listener& l) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  bool tls_port = l.addr.tls_on_connect;
  smtp::SessionSettings st;
  st.client_address = ip;
  st.client_port = port;
  st.interface_address = l.addr.address;
  st.interface_port = l.addr.port;
  st.event_loop = true;
  st.tls_can_start = tls_ != nullptr && !tls_port;
  st.tls_available = st.tls_can_start;
  st.enforce_sync = config::main_bool(rt_->cfg, "smtp_enforce_sync");
  st.accept_count = static_cast<int>(conns_.size());
  uint64_t serial = next_serial_++;
  auto host = std::make_unique<SessionHost>(rt_, shared_, serial, std::move(st));
  int64_t secs = config::main_time(rt_->cfg, "smtp_receive_timeout");
  auto c = std::make_unique<Connection>(fd, serial, std::move(host), tls_, tls_port,
                                        secs > 0 ? static_cast<int>(secs) : 0,
                                        ConnectionEnv{*pool_, shared_}, ip);
  per_host_[ip]++;
  Slot& slot = conns_[serial];
  slot.conn = std::move(c);
  slot.events = EPOLLIN;
  poll(fd, serial, EPOLLIN);
  slot.conn->start();
  rearm(serial);
}

void Daemon::on_connection(uint64_t serial, uint32_t events) {
  auto it = conns_.find(serial);
  if (it == conns_.end()) return;
  Connection& c = *it->second.conn;
  if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) c.on_readable();
  if (events & EPOLLOUT) c.on_writable();
  rearm(serial);
}

// Work finished on a worker, or a spool commit ended.
void Daemon::on_loop_events() {
  for (LoopEvent& ev : shared_.events.take()) {
    auto it = conns_.find(ev.serial);
    if (it == conns_.end()) continue;  // gone; a committed message stays committed
    if (ev.kind == LoopEvent::Kind::WorkDone) {
      it->second.conn->work_done();
    } else {
      it->second.conn->store_done({ev.ok, std::move(ev.error)});
    }
    rearm(ev.serial);
  }
}

// Brings epoll up to date with what the connection waits for; closes it when done.
void Daemon::rearm(uint64_t serial) {
  auto it = conns_.find(serial);
  if (it == conns_.end()) return;
  Slot& slot = it->second;
  Connection& c = *slot.conn;
  if (c.done()) return close_conn(serial);
  if (c.held()) holds_.insert({c.held_until(), serial});
  if (c.busy() && c.needs_loop()) c.request_completion();
  if (c.dead()) {
    // Failed while a worker has its session: stop polling (a reset socket would report
    // EPOLLERR over and over) and close when the work comes back.
    if (slot.polled) epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd(), nullptr);
    slot.polled = false;
    return;
  }
  uint32_t want = (c.wants_read() ? EPOLLIN : 0u) | (c.wants_write() ? EPOLLOUT : 0u);
  if (want == slot.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = serial;
  epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd(), &ev);
  slot.events = want;
}

void Daemon::close_conn(uint64_t serial) {
  auto it = conns_.find(serial);
  if (it == conns_.end()) return;
  Connection& c = *it->second.conn;
  auto h = per_host_.find(c.client_address());
  if (h != per_host_.end() && --h->second <= 0) per_host_.erase(h);
  if (it->second.polled) epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd(), nullptr);
  conns_.erase(it);  // closes the socket
}

// `delay =` holds that are due.
void Daemon::run_holds() {
  auto now = Clock::now();
  while (!holds_.empty() && holds_.begin()->first <= now) {
    uint64_t serial = holds_.begin()->second;
    holds_.erase(holds_.begin());
    auto it = conns_.find(serial);
    if (it == conns_.end()) continue;
    it->second.conn->resume();
    rearm(serial);
  }
}

// Once a second: receive timeouts, and listeners paused for want of descriptors.
void Daemon::sweep() {
  std::time_t now = std::time(nullptr);
  if (now == last_sweep_) return;
  last_sweep_ = now;
  for (size_t i = 0; i < listeners_.size(); ++i) {
    Listener& l = listeners_[i];
    if (!l.paused || l.fd < 0) continue;
    l.paused = false;
    poll(l.fd, kListenTag | i, EPOLLIN);
  }
  std::vector<uint64_t> expired;
  for (auto& [serial, slot] : conns_) {
    const Connection& c = *slot.conn;
    if (c.waits_for_client() && c.deadline() && c.deadline() <= now) expired.push_back(serial);
  }
  for (uint64_t serial : expired) {
    conns_[serial].conn->on_timeout();
    rearm(serial);
  }
}

}  // namespace engine::daemon

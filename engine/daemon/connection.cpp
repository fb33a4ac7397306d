#include "engine/daemon/connection.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "engine/daemon/tls.h"

namespace engine::daemon {

Connection::Connection(int fd, uint64_t serial, std::unique_ptr<SessionHost> host,
                       std::shared_ptr<const TlsServer> tls, bool tls_on_connect, int timeout_s,
                       ConnectionEnv env, std::string client)
    : fd_(fd),
      serial_(serial),
      host_(std::move(host)),
      tls_(std::move(tls)),
      env_(env),
      tls_on_connect_(tls_on_connect),
      timeout_s_(timeout_s),
      client_(std::move(client)) {}

Connection::~Connection() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

void Connection::touch() {
  deadline_ = timeout_s_ > 0 ? std::time(nullptr) + timeout_s_ : 0;
}

void Connection::log(const std::string& line) {
  env_.shared.log(kLogMain, line);
}

void Connection::start() {
  touch();
  if (tls_on_connect_) {
    if (!tls_) {
      dead_ = true;
      return;
    }
    next_.tls_policy = true;  // the handshake needs the client certificate policy first
    policy_asked_ = true;
  } else {
    next_.start = true;
  }
  schedule();
}

// At most one piece of work in flight; input waits while a commit is pending, everything
// waits for a TLS handshake to finish.
void Connection::schedule() {
  if (busy_ || dead_ || next_.empty()) return;
  if (finished_) {
    next_ = SessionInput{};
    return;
  }
  if (tls_wanted_ || handshaking_) return;
  if (store_pending_ && !next_.store) return;
  busy_ = true;
  running_ = std::move(next_);
  next_ = SessionInput{};
  direct_ok_ = !ssl_ && !has_output() && !held_ && !policy_asked_;
  worker_reads_ = direct_ok_ && spin_ok_ && !input_closed_;
  loop_wants_.store(false);
  Connection* self = this;
  env_.pool.submit([self] { self->run_work(); });
}

void Connection::request_completion() {
  if (!busy_) return;
  loop_wants_.store(true);
  env_.shared.events.wake();
}

// The session's turns, its replies straight to the socket when that is safe, and more turns
// while the worker can have them (see the header); the loop hears of it at once only when it
// has something to do.
void Connection::run_work() {
  bool quiet = false;
  for (int turn = 0;; ++turn) {
    report_ = host_->run(std::move(running_));
    running_ = SessionInput{};
    quiet = !report_.finished && !report_.tls_pending;
    if (direct_ok_ && quiet && std::chrono::steady_clock::now() >= report_.hold_until) {
      quiet = write_direct();
    } else {
      quiet = quiet && report_.output.empty();
    }
    bool go_on = quiet && direct_ok_ && may_go_on(turn);
    if (report_.store_pending && host_->store_waiting()) {
      if (!go_on) {
        host_->release_store();
        break;
      }
      running_.store = host_->commit_store();
      continue;
    }
    if (!go_on || !worker_reads_ || !await_input()) {
      // Input is the worker's until the loop has this: it must wake up for it.
      if (worker_reads_) quiet = false;
      break;
    }
  }
  // The last use of `this`: once posted, the loop may take the event and free us.
  LoopQueue& events = env_.shared.events;
  LoopEvent ev{LoopEvent::Kind::WorkDone, serial_, true, {}};
  if (!quiet) return events.post(std::move(ev));
  events.post_quietly(std::move(ev), loop_wants_);
}

bool Connection::may_go_on(int turn) const {
  return turn + 1 < kMaxTurns && !loop_wants_.load() && !env_.pool.backlogged();
}

bool Connection::await_input() {
  pollfd p{fd_, POLLIN, 0};
  int r;
  do {
    r = ::poll(&p, 1, kSpinMs);
  } while (r < 0 && errno == EINTR);
  if (r <= 0) {
    spin_ok_ = false;
    return false;
  }
  char buf[16384];
  for (int rounds = 0; rounds < 8 && running_.bytes.size() < kMaxPendingInput; ++rounds) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      worker_read_ = true;
      running_.bytes.append(buf, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof buf) break;
    } else if (n == 0) {
      worker_eof_ = true;
      running_.eof = true;
      break;
    } else if (errno != EINTR) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) direct_failed_ = true;  // reset
      break;
    }
  }
  return !direct_failed_ && !running_.empty();
}

bool Connection::write_direct() {
  std::string& out = report_.output;
  size_t sent = 0;
  while (sent < out.size()) {
    ssize_t w = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      sent += static_cast<size_t>(w);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      direct_failed_ = w < 0 && errno != EAGAIN && errno != EWOULDBLOCK;
      break;
    }
  }
  direct_sent_ = sent > 0;
  out.erase(0, sent);
  return out.empty() && !direct_failed_;
}

void Connection::work_done() {
  busy_ = false;
  running_ = SessionInput{};
  SessionReport r = std::move(report_);
  report_ = SessionReport{};
  if (direct_failed_) dead_ = true;
  if (direct_sent_) sent_anything_ = true;
  if (direct_sent_ || worker_read_) touch();
  if (worker_eof_) input_closed_ = true;
  direct_sent_ = direct_failed_ = worker_read_ = worker_eof_ = worker_reads_ = false;
  if (dead_) return;
  if (!has_output()) {
    out_.clear();
    out_pos_ = 0;
  }
  out_ += r.output;
  finished_ = r.finished;
  store_pending_ = r.store_pending;
  hold_until_ = r.hold_until;
  if (policy_asked_) {
    policy_asked_ = false;
    start_tls(r.tls_verify);
    return;
  }
  if (r.tls_pending && !ssl_) {
    tls_wanted_ = true;
    tls_verify_ = r.tls_verify;
    next_.bytes.clear();  // sent in clear after STARTTLS: never a command (T-TLS-1)
  }
  pump();
  schedule();
}

void Connection::store_done(StoreResult r) {
  touch();
  next_.store = std::move(r);
  schedule();
}

void Connection::pump() {
  if (dead_) return;
  if (has_output()) {
    held_ = std::chrono::steady_clock::now() < hold_until_;
    if (held_ && !sent_anything_ && !next_.bytes.empty()) return early_talker();
    if (held_) return;  // `delay =`: resume() sends it
    sent_anything_ = true;
    while (has_output()) {
      long w = raw_write(out_.data() + out_pos_, out_.size() - out_pos_);
      if (w == -1) return;  // wait for writability
      if (w < 0) {
        dead_ = true;
        return;
      }
      out_pos_ += static_cast<size_t>(w);
      touch();
    }
    out_.clear();
    out_pos_ = 0;
  }
  held_ = false;
  if (tls_wanted_) {
    tls_wanted_ = false;
    start_tls(tls_verify_);
  }
}

void Connection::resume() {
  if (!held_ || std::chrono::steady_clock::now() < hold_until_) return;
  pump();
}

void Connection::start_tls(smtp::TlsVerify verify) {
  ssl_ = tls_ ? tls_->new_ssl(fd_, verify) : nullptr;
  if (!ssl_) {
    log("TLS error on connection from [" + client_ + "]: TLS is not available");
    dead_ = true;
    return;
  }
  handshaking_ = true;
  continue_handshake();
}

void Connection::continue_handshake() {
  ERR_clear_error();
  int r = SSL_accept(ssl_);
  if (r == 1) {
    handshaking_ = false;
    want_write_in_ssl_ = false;
    next_.tls = tls_info(ssl_);
    if (tls_on_connect_) next_.start = true;
    touch();
    schedule();
    return;
  }
  int e = SSL_get_error(ssl_, r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    want_write_in_ssl_ = e == SSL_ERROR_WANT_WRITE;
    return;
  }
  log("TLS error on connection from [" + client_ + "] (SSL_accept): " + tls_error_text());
  dead_ = true;
}

long Connection::raw_read(char* buf, size_t n) {
  if (ssl_) {
    ERR_clear_error();
    int r = SSL_read(ssl_, buf, static_cast<int>(n));
    if (r > 0) return r;
    int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_WANT_READ) return -1;
    if (e == SSL_ERROR_WANT_WRITE) {
      want_write_in_ssl_ = true;
      return -1;
    }
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    return -2;
  }
  ssize_t r = ::recv(fd_, buf, n, 0);
  if (r >= 0) return r;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return -1;
  return -2;
}

long Connection::raw_write(const char* buf, size_t n) {
  if (ssl_) {
    ERR_clear_error();
    int r = SSL_write(ssl_, buf, static_cast<int>(n));
    if (r > 0) return r;
    int e = SSL_get_error(ssl_, r);
    if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return -1;
    return -2;
  }
  ssize_t r = ::send(fd_, buf, n, MSG_NOSIGNAL);
  if (r >= 0) return r;
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return -1;
  return -2;
}

// The client talked before a (delayed) banner: RFC 5321 4.3.1 synchronization.
void Connection::early_talker() {
  log("SMTP protocol synchronization error (input sent without waiting for greeting): "
      "rejected connection from [" +
      client_ + "]");
  static const char kSync[] = "554 SMTP synchronization error\r\n";
  (void)raw_write(kSync, sizeof kSync - 1);
  dead_ = true;
}

void Connection::on_readable() {
  if (dead_) return;
  if (handshaking_) return continue_handshake();
  if (has_output() && want_write_in_ssl_) return pump();  // SSL_write wanted to read
  if (!wants_read()) return;
  char buf[16384];
  for (int rounds = 0; rounds < 8 && next_.bytes.size() < kMaxPendingInput; ++rounds) {
    long n = raw_read(buf, sizeof buf);
    if (n == -1) break;
    if (n == -2 && !finished_) {
      dead_ = true;  // reset by the peer: nobody to answer
      return;
    }
    if (n <= 0) {
      input_closed_ = true;
      next_.eof = true;
      break;
    }
    if (!sent_anything_ && held_) return early_talker();
    touch();
    next_.bytes.append(buf, static_cast<size_t>(n));
    bool more_in_ssl = ssl_ && SSL_pending(ssl_) > 0;
    if (static_cast<size_t>(n) < sizeof buf && !more_in_ssl) break;
  }
  schedule();
}

void Connection::on_writable() {
  if (dead_) return;
  if (handshaking_) return continue_handshake();
  want_write_in_ssl_ = false;
  pump();
  schedule();
}

// A first expiry asks the session for its 421; a second one (the client does not even take
// that) gives up.
void Connection::on_timeout() {
  if (timed_out_ || finished_ || handshaking_ || tls_wanted_) {
    dead_ = true;
    return;
  }
  timed_out_ = true;
  touch();
  next_.timeout = true;
  schedule();
}

void Connection::shut_down() {
  if (handshaking_ || tls_wanted_) {
    dead_ = true;
    return;
  }
  next_.shutdown = true;
  schedule();
}

bool Connection::wants_read() const {
  if (dead_ || policy_asked_) return false;  // a TLS-on-connect port reads nothing in clear
  if (busy_ && worker_reads_) return false;  // the worker's input
  if (handshaking_) return !want_write_in_ssl_;
  return !input_closed_ && !finished_ && !tls_wanted_ && next_.bytes.size() < kMaxPendingInput;
}

bool Connection::wants_write() const {
  if (dead_) return false;
  if (handshaking_) return want_write_in_ssl_;
  return want_write_in_ssl_ || (has_output() && !held_);
}

}  // namespace engine::daemon

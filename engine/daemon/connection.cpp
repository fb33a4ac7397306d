#include "engine/daemon/connection.h"

#include <openssl/err.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "engine/config/main_options.h"
#include "engine/daemon/daemon.h"
#include "engine/daemon/tls.h"
#include "engine/variables.h"

namespace engine::daemon {

Connection::Connection(int fd, std::shared_ptr<const Runtime> rt,
                       std::unique_ptr<smtp::SessionServices> services,
                       smtp::SessionSettings settings, const TlsServer* tls, bool tls_on_connect)
    : fd_(fd),
      rt_(std::move(rt)),
      services_(std::move(services)),
      tls_(tls),
      tls_on_connect_(tls_on_connect),
      client_(settings.client_address) {
  settings.event_loop = true;
  settings.tls_can_start = tls_ != nullptr && !tls_on_connect;
  settings.tls_available = tls_ != nullptr && !tls_on_connect;
  session_ = std::make_unique<smtp::Session>(rt_->cfg, rt_->acls, *services_, std::move(settings));
  int64_t secs = config::main_time(rt_->cfg, "smtp_receive_timeout");
  timeout_s_ = secs > 0 ? static_cast<int>(secs) : 0;
}

Connection::~Connection() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

void Connection::touch() {
  deadline_ = timeout_s_ > 0 ? std::time(nullptr) + timeout_s_ : 0;
}

void Connection::start() {
  touch();
  if (tls_on_connect_) {
    if (!tls_ || !start_tls()) {
      done_ = true;
      return;
    }
    return;  // the banner follows the handshake
  }
  session_->start();
  pump();
}

bool Connection::start_tls() {
  ssl_ = tls_->new_ssl(fd_);
  if (!ssl_) return false;
  handshaking_ = true;
  continue_handshake();
  return !done_;
}

void Connection::continue_handshake() {
  ERR_clear_error();
  int r = SSL_accept(ssl_);
  if (r == 1) {
    handshaking_ = false;
    want_write_in_ssl_ = false;
    if (tls_on_connect_) {
      session_->tls_started(tls_cipher_text(ssl_), tls_peer_dn(ssl_));
      session_->start();
    } else {
      session_->tls_started(tls_cipher_text(ssl_), tls_peer_dn(ssl_));
    }
    pump();
    return;
  }
  int e = SSL_get_error(ssl_, r);
  if (e == SSL_ERROR_WANT_READ) {
    want_write_in_ssl_ = false;
    return;
  }
  if (e == SSL_ERROR_WANT_WRITE) {
    want_write_in_ssl_ = true;
    return;
  }
  session_->services().log("TLS error on connection from [" + client_ +
                           "] (SSL_accept): " + tls_error_text());
  done_ = true;
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
  if (r > 0) return r;
  if (r == 0) return 0;
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

void Connection::pump() {
  out_ += session_->take_output();
  held_ = out_pos_ < out_.size() && std::chrono::steady_clock::now() < session_->hold_until();
  if (held_) return;  // `delay =`: the replies wait; resume() sends them
  if (out_pos_ < out_.size()) sent_anything_ = true;
  while (out_pos_ < out_.size()) {
    long w = raw_write(out_.data() + out_pos_, out_.size() - out_pos_);
    if (w == -1) return;  // wait for writability
    if (w < 0) {
      done_ = true;
      return;
    }
    out_pos_ += static_cast<size_t>(w);
  }
  out_.clear();
  out_pos_ = 0;
  if (session_->tls_pending() && !ssl_) {
    if (!tls_ || !start_tls()) done_ = true;
    return;
  }
  if (session_->finished() || input_closed_) done_ = true;
}

void Connection::on_readable() {
  if (handshaking_) {
    continue_handshake();
    return;
  }
  if (out_pos_ < out_.size() && want_write_in_ssl_) {
    pump();
    return;
  }
  char buf[16384];
  for (int rounds = 0; rounds < 8 && !done_; ++rounds) {
    long n = raw_read(buf, sizeof buf);
    if (n == -1) break;
    if (n > 0 && !sent_anything_ && held_) {
      // The client talked before the (delayed) banner: RFC 5321 4.3.1 synchronization.
      session_->services().log(
          "SMTP protocol synchronization error (input sent without "
          "waiting for greeting): rejected connection from [" +
          client_ + "]");
      static const char kSync[] = "554 SMTP synchronization error\r\n";
      (void)raw_write(kSync, sizeof kSync - 1);
      done_ = true;
      return;
    }
    if (n <= 0) {
      input_closed_ = true;
      session_->end_of_input();
      break;
    }
    touch();
    session_->feed(std::string_view(buf, static_cast<size_t>(n)));
    if (session_->tls_pending() || session_->finished()) break;
    if (!ssl_ || SSL_pending(ssl_) == 0) {
      if (static_cast<size_t>(n) < sizeof buf) break;
    }
  }
  pump();
}

void Connection::on_writable() {
  if (handshaking_) {
    continue_handshake();
    return;
  }
  want_write_in_ssl_ = false;
  pump();
}

void Connection::on_timeout() {
  session_->services().log("SMTP command timeout on connection from [" + client_ + "]");
  std::string msg = "421 " + primary_hostname(&rt_->cfg) +
                    " SMTP incoming data timeout - closing connection.\r\n";
  (void)raw_write(msg.data(), msg.size());
  done_ = true;
}

void Connection::store_finished(bool ok, const std::string& error) {
  touch();
  session_->store_finished(ok, error);
  pump();
}

void Connection::resume() {
  if (!held_ || std::chrono::steady_clock::now() < session_->hold_until()) return;
  held_ = false;
  pump();
}

bool Connection::wants_write() const {
  return want_write_in_ssl_ || out_pos_ < out_.size();
}

bool Connection::wants_read() const {
  return !done_ && !input_closed_;
}

}  // namespace engine::daemon

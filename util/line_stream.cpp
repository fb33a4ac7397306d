// util/line_stream.cpp — blocking line I/O with timeouts over sockets, pipes and TLS.
#include "util/line_stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "util/ip.h"
#include "util/no_sigpipe.h"
#include "util/strings.h"
#include "util/tls_client.h"

namespace util {
namespace {

using Clock = std::chrono::steady_clock;

IoError io_error(IoErrorKind k, int err, std::string msg) {
  return IoError{k, err, std::move(msg)};
}

void set_nonblocking(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

bool make_sockaddr(const std::string& ip, int port, sockaddr_storage& ss, socklen_t& len) {
  auto a = IpAddress::parse(ip);
  if (!a) return false;
  std::memset(&ss, 0, sizeof ss);
  if (a->is_v4()) {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    s4->sin_family = AF_INET;
    s4->sin_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&s4->sin_addr, a->bytes().data(), 4);
    len = sizeof *s4;
  } else {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(static_cast<uint16_t>(port));
    std::memcpy(&s6->sin6_addr, a->bytes().data(), 16);
    len = sizeof *s6;
  }
  return true;
}

int ms_until(Clock::time_point deadline) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return ms.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(ms.count(), 1 << 30));
}

// Waits for a non-blocking connect() to finish.
std::optional<IoError> finish_connect(int fd, int timeout_seconds, const std::string& what) {
  pollfd p{fd, POLLOUT, 0};
  int r;
  while ((r = poll(&p, 1, timeout_seconds > 0 ? timeout_seconds * 1000 : -1)) < 0 &&
         errno == EINTR) {
  }
  if (r == 0)
    return io_error(IoErrorKind::Timeout, ETIMEDOUT, "connection to " + what + " timed out");
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err == 0) return std::nullopt;
  IoErrorKind k = err == ECONNREFUSED ? IoErrorKind::Refused : IoErrorKind::Other;
  if (err == ETIMEDOUT) k = IoErrorKind::Timeout;
  return io_error(k, err, "connection to " + what + " failed: " + errno_text(err));
}

}  // namespace

LineStream::LineStream(LineStream&& o) noexcept {
  *this = std::move(o);
}

LineStream& LineStream::operator=(LineStream&& o) noexcept {
  if (this == &o) return *this;
  close();
  rfd_ = o.rfd_;
  wfd_ = o.wfd_;
  ssl_ = o.ssl_;
  buf_ = std::move(o.buf_);
  pos_ = o.pos_;
  local_ip_ = std::move(o.local_ip_);
  local_port_ = o.local_port_;
  o.rfd_ = o.wfd_ = -1;
  o.ssl_ = nullptr;
  o.pos_ = 0;
  return *this;
}

LineStream::~LineStream() {
  close();
}

void LineStream::close() {
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (wfd_ >= 0 && wfd_ != rfd_) ::close(wfd_);
  if (rfd_ >= 0) ::close(rfd_);
  rfd_ = wfd_ = -1;
}

IoResult<LineStream> LineStream::connect_tcp(const std::string& ip, int port,
                                             const std::string& bind_ip, int timeout_seconds) {
  sockaddr_storage ss;
  socklen_t len;
  std::string what = "[" + ip + "]:" + std::to_string(port);
  if (!make_sockaddr(ip, port, ss, len))
    return io_error(IoErrorKind::Other, 0, "bad address " + ip);
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return io_error(IoErrorKind::Other, errno, "socket: " + errno_text(errno));
  LineStream s(fd, fd);
  if (!bind_ip.empty()) {
    sockaddr_storage local;
    socklen_t llen;
    if (!make_sockaddr(bind_ip, 0, local, llen) || local.ss_family != ss.ss_family ||
        bind(fd, reinterpret_cast<sockaddr*>(&local), llen) != 0)
      return io_error(IoErrorKind::Other, errno,
                      "failed to bind to " + bind_ip + ": " + errno_text(errno));
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    if (errno != EINPROGRESS) {
      int e = errno;
      return io_error(e == ECONNREFUSED ? IoErrorKind::Refused : IoErrorKind::Other, e,
                      "connection to " + what + " failed: " + errno_text(e));
    }
    if (auto err = finish_connect(fd, timeout_seconds, what)) return *err;
  }
  s.note_local_address();
  return s;
}

IoResult<LineStream> LineStream::connect_unix(const std::string& path, int timeout_seconds) {
  sockaddr_un sa{};
  if (path.size() >= sizeof sa.sun_path)
    return io_error(IoErrorKind::Other, 0, "socket path too long: " + path);
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return io_error(IoErrorKind::Other, errno, "socket: " + errno_text(errno));
  LineStream s(fd, fd);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    int e = errno;
    if (e != EINPROGRESS && e != EAGAIN)
      return io_error(e == ECONNREFUSED || e == ENOENT ? IoErrorKind::Refused : IoErrorKind::Other,
                      e, "failed to connect to socket " + path + ": " + errno_text(e));
    if (auto err = finish_connect(fd, timeout_seconds, path)) return *err;
  }
  return s;
}

LineStream LineStream::from_fds(int read_fd, int write_fd) {
  set_nonblocking(read_fd);
  set_nonblocking(write_fd);
  return LineStream(read_fd, write_fd);
}

void LineStream::note_local_address() {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(rfd_, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return;
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof buf);
    local_port_ = ntohs(s4->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof buf);
    local_port_ = ntohs(s6->sin6_port);
  }
  local_ip_ = buf;
}

bool LineStream::readable_now() const {
  if (rfd_ < 0 || has_buffered() || (ssl_ && SSL_pending(ssl_) > 0)) return true;
  pollfd p{rfd_, POLLIN, 0};
  int r;
  while ((r = poll(&p, 1, 0)) < 0 && errno == EINTR) {
  }
  return r != 0;
}

std::optional<IoError> LineStream::wait(bool for_write, int timeout_ms, int fd) {
  pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  int r;
  while ((r = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR) {
  }
  if (r == 0) return io_error(IoErrorKind::Timeout, ETIMEDOUT, "timed out");
  if (r < 0) return io_error(IoErrorKind::Other, errno, errno_text(errno));
  return std::nullopt;
}

std::optional<IoError> LineStream::start_tls(SSL_CTX* ctx, const std::string& sni,
                                             int timeout_seconds,
                                             const std::function<void(SSL*)>& before_handshake) {
  // Whatever the peer sent in clear after the reply that let TLS start is dropped: it could
  // be an injected reply taken later as one that came over TLS (STARTTLS response injection,
  // T-TLS-9).
  buf_.clear();
  pos_ = 0;
  ssl_ = SSL_new(ctx);
  if (!ssl_) return io_error(IoErrorKind::Other, 0, "SSL_new failed: " + tls_error_text());
  SSL_set_fd(ssl_, rfd_);
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl_, sni.c_str());
  if (before_handshake) before_handshake(ssl_);
  ScopedNoSigpipe no_sigpipe;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    ERR_clear_error();
    int r = SSL_connect(ssl_);
    if (r == 1) return std::nullopt;
    int e = SSL_get_error(ssl_, r);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      std::string why = tls_error_text();
      if (why.empty())
        why = e == SSL_ERROR_SYSCALL ? "connection closed" : "error " + std::to_string(e);
      return io_error(IoErrorKind::Other, 0, "TLS handshake failed: " + why);
    }
    if (auto err = wait(e == SSL_ERROR_WANT_WRITE, ms_until(deadline), rfd_)) {
      err->message = "TLS handshake " + err->message;
      return err;
    }
  }
}

// Reads more bytes into the buffer.
std::optional<IoError> LineStream::fill(int timeout_ms) {
  char tmp[16384];
  while (true) {
    ssize_t n;
    int want_write = 0;
    if (ssl_) {
      ERR_clear_error();
      int r = SSL_read(ssl_, tmp, sizeof tmp);
      if (r > 0) {
        buf_.append(tmp, static_cast<size_t>(r));
        return std::nullopt;
      }
      int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_ZERO_RETURN) return io_error(IoErrorKind::Closed, 0, "connection closed");
      if (e == SSL_ERROR_WANT_WRITE)
        want_write = 1;
      else if (e != SSL_ERROR_WANT_READ) {
        std::string why = tls_error_text();
        return io_error(IoErrorKind::Closed, errno,
                        why.empty() ? "connection closed" : "TLS error: " + why);
      }
      n = -1;
      errno = EAGAIN;
    } else {
      n = ::read(rfd_, tmp, sizeof tmp);
      if (n > 0) {
        buf_.append(tmp, static_cast<size_t>(n));
        return std::nullopt;
      }
      if (n == 0) return io_error(IoErrorKind::Closed, 0, "connection closed");
      if (errno == ECONNRESET || errno == EPIPE)
        return io_error(IoErrorKind::Closed, errno, errno_text(errno));
      if (errno != EAGAIN && errno != EINTR)
        return io_error(IoErrorKind::Other, errno, errno_text(errno));
    }
    if (auto err = wait(want_write, timeout_ms, rfd_)) return err;
  }
}

IoResult<std::string> LineStream::read_line(int timeout_seconds) {
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    size_t nl = buf_.find('\n', pos_);
    if (nl != std::string::npos || buf_.size() - pos_ >= LineStream::kMaxLine) {
      size_t end = nl == std::string::npos ? pos_ + LineStream::kMaxLine : nl;
      std::string line = buf_.substr(pos_, end - pos_);
      pos_ = nl == std::string::npos ? end : nl + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (pos_ > 65536) {
        buf_.erase(0, pos_);
        pos_ = 0;
      }
      return line;
    }
    if (auto err = fill(ms_until(deadline))) return *err;
  }
}

std::optional<IoError> LineStream::write(std::string_view data, int timeout_seconds) {
  ScopedNoSigpipe no_sigpipe;
  auto deadline = Clock::now() + std::chrono::seconds(timeout_seconds);
  while (!data.empty()) {
    bool want_read = false;
    if (ssl_) {
      ERR_clear_error();
      int r =
          SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 20)));
      if (r > 0) {
        data.remove_prefix(static_cast<size_t>(r));
        continue;
      }
      int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ)
        want_read = true;
      else if (e != SSL_ERROR_WANT_WRITE)
        return io_error(IoErrorKind::Closed, errno, "TLS write failed: " + tls_error_text());
    } else {
      ssize_t n = wfd_ == rfd_ ? ::send(wfd_, data.data(), data.size(), MSG_NOSIGNAL)
                               : ::write(wfd_, data.data(), data.size());
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
        return io_error(IoErrorKind::Closed, errno, errno_text(errno));
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return io_error(IoErrorKind::Other, errno, errno_text(errno));
    }
    int fd = want_read ? rfd_ : wfd_;
    if (auto err = wait(!want_read, ms_until(deadline), fd)) return err;
  }
  return std::nullopt;
}

}  // namespace util

// util/socket_stream.cpp — a UNIX-domain stream client with deadlines (see socket_stream.h).
#include "util/socket_stream.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/strings.h"

namespace util {
namespace {

int remaining_ms(SocketStream::Clock::time_point deadline) {
  auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SocketStream::Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

}  // namespace

SocketStream::~SocketStream() {
  if (fd_ >= 0) ::close(fd_);
}

SocketStream::SocketStream(SocketStream&& o) noexcept : fd_(o.fd_), buf_(std::move(o.buf_)) {
  o.fd_ = -1;
}

SocketStream& SocketStream::operator=(SocketStream&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    buf_ = std::move(o.buf_);
    o.fd_ = -1;
  }
  return *this;
}

Result<SocketStream> SocketStream::connect_unix(const std::string& path, Clock::duration timeout) {
  auto fail = [&](int err) {
    return Error{"connect to " + path + " failed: " + errno_text(err), {}};
  };
  sockaddr_un sa{};
  if (path.empty() || path.size() >= sizeof sa.sun_path) return fail(ENAMETOOLONG);
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return fail(errno);
  SocketStream s(fd);
  Clock::time_point deadline = Clock::now() + timeout;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    if (errno != EINPROGRESS && errno != EAGAIN) return fail(errno);
    auto ready = s.wait(POLLOUT, deadline);
    if (!ready) return Error{"connect to " + path + ": " + ready.error().message, {}};
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err != 0) return fail(err);
  }
  return s;
}

Result<bool> SocketStream::wait(short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{fd_, events, 0};
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return Error{"timed out", {}};
    if (errno != EINTR) return Error{errno_text(errno), {}};
  }
}

Result<bool> SocketStream::write_all(std::string_view data, Clock::duration timeout) {
  if (fd_ < 0) return Error{"not connected", {}};
  Clock::time_point deadline = Clock::now() + timeout;
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return Error{errno_text(errno), {}};
    auto ready = wait(POLLOUT, deadline);
    if (!ready) return ready;
  }
  return true;
}

Result<bool> SocketStream::fill(Clock::time_point deadline) {
  if (fd_ < 0) return Error{"not connected", {}};
  char chunk[4096];
  while (true) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf_.append(chunk, static_cast<size_t>(n));
      return true;
    }
    if (n == 0) return Error{"connection closed", {}};
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Error{errno_text(errno), {}};
    auto ready = wait(POLLIN, deadline);
    if (!ready) return ready;
  }
}

Result<std::string> SocketStream::read_line(size_t max_len, Clock::duration timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    size_t lf = buf_.find('\n');
    if (lf != std::string::npos && lf <= max_len) {
      std::string line = buf_.substr(0, lf);
      buf_.erase(0, lf + 1);
      return line;
    }
    if (lf != std::string::npos || buf_.size() > max_len) {
      return Error{"line longer than " + std::to_string(max_len) + " bytes", {}};
    }
    auto got = fill(deadline);
    if (!got) return got.error();
  }
}

Result<std::string> SocketStream::read_exact(size_t n, Clock::duration timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (buf_.size() < n) {
    auto got = fill(deadline);
    if (!got) return got.error();
  }
  std::string out = buf_.substr(0, n);
  buf_.erase(0, n);
  return out;
}

}  // namespace util

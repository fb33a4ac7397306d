// util/socket_stream.h — a blocking client connection to a local service (a UNIX-domain
// stream socket) in which every wait is bounded: connecting, writing and reading each take a
// deadline, so a silent or stuck server gives an error, never a hang. Used by the Dovecot
// authenticator and the saslauthd condition; no mail knowledge.
//
// Contract: connect_unix() returns a connected stream or an Error naming the path and the
// reason ("connect to /run/x failed: No such file or directory"). The read functions return
// an Error on timeout ("timed out"), on end of file ("connection closed") and when a line
// exceeds its limit; after an error the stream should be dropped. The descriptor is closed
// by the destructor (close-on-exec from the start). SIGPIPE is never raised (MSG_NOSIGNAL).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.h"

namespace util {

class SocketStream {
 public:
  using Clock = std::chrono::steady_clock;

  SocketStream() = default;
  ~SocketStream();
  SocketStream(SocketStream&& o) noexcept;
  SocketStream& operator=(SocketStream&& o) noexcept;
  SocketStream(const SocketStream&) = delete;
  SocketStream& operator=(const SocketStream&) = delete;

  static Result<SocketStream> connect_unix(const std::string& path, Clock::duration timeout);

  bool is_open() const { return fd_ >= 0; }
  // Writes all of `data` before `timeout` runs out.
  Result<bool> write_all(std::string_view data, Clock::duration timeout);
  // Reads one line ending in LF (returned without it) of at most `max_len` bytes.
  Result<std::string> read_line(size_t max_len, Clock::duration timeout);
  // Reads exactly `n` bytes.
  Result<std::string> read_exact(size_t n, Clock::duration timeout);

 private:
  explicit SocketStream(int fd) : fd_(fd) {}
  // Waits until the descriptor is ready for `events` or `deadline` passes.
  Result<bool> wait(short events, Clock::time_point deadline);
  // Moves more bytes into buf_; an error on end of file or at the deadline.
  Result<bool> fill(Clock::time_point deadline);

  int fd_ = -1;
  std::string buf_;  // bytes read but not yet returned
};

}  // namespace util

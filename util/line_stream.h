// util/line_stream.h — a blocking, line-oriented client connection with timeouts: TCP (with
// an optional local address to bind and a connect timeout), a Unix-domain socket, or a pair
// of pipes to a child process; optionally TLS (OpenSSL) after connecting. What the smtp and
// lmtp transports speak their protocols over. No mail knowledge.
//
// Contract: every wait is bounded by the timeout given to the call (poll() on a non-blocking
// descriptor; TLS included, so a stalled handshake times out too). Lines end at LF; the CR
// before it and the LF are removed; a line longer than 64 KiB is cut there. Writes never raise
// SIGPIPE. The stream owns its descriptors and closes them on destruction.
//
// Failure: an IoError saying what happened — Timeout, Closed (end of file or reset by the
// peer), Refused (connect), or Other — with a message carrying the errno or TLS error text.
#pragma once

#include <openssl/ssl.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "util/result.h"

namespace util {

enum class IoErrorKind : unsigned char { Timeout, Closed, Refused, Other };

struct IoError {
  IoErrorKind kind = IoErrorKind::Other;
  int err = 0;  // errno, when one applies
  std::string message;
};

template <class T>
using IoResult = std::variant<T, IoError>;

class LineStream {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;  // longer lines are cut there

  LineStream() = default;
  LineStream(LineStream&& o) noexcept;
  LineStream& operator=(LineStream&& o) noexcept;
  ~LineStream();

  // TCP to ip:port; `bind_ip` ("" for any) is the local address to use.
  static IoResult<LineStream> connect_tcp(const std::string& ip, int port,
                                          const std::string& bind_ip, int timeout_seconds);
  static IoResult<LineStream> connect_unix(const std::string& path, int timeout_seconds);
  // Takes ownership of two pipe ends (the child's stdout and stdin).
  static LineStream from_fds(int read_fd, int write_fd);

  // TLS client handshake on the connection. `sni` may be empty. Bytes read in clear and not
  // yet taken as lines are discarded first.
  std::optional<IoError> start_tls(SSL_CTX* ctx, const std::string& sni, int timeout_seconds,
                                   const std::function<void(SSL*)>& before_handshake = {});
  SSL* ssl() const { return ssl_; }

  IoResult<std::string> read_line(int timeout_seconds);
  std::optional<IoError> write(std::string_view data, int timeout_seconds);
  // True when bytes are waiting to be read (a server that speaks before it is asked).
  bool has_buffered() const { return pos_ < buf_.size(); }
  // True when anything can be read without waiting: buffered bytes, a pending TLS record, data
  // or end of file on the socket. An idle client connection that is readable has been closed
  // or timed out by its server.
  bool readable_now() const;
  void close();
  bool is_open() const { return rfd_ >= 0; }

  std::string local_address() const { return local_ip_; }
  int local_port() const { return local_port_; }

 private:
  LineStream(int rfd, int wfd) : rfd_(rfd), wfd_(wfd) {}
  std::optional<IoError> fill(int timeout_ms);
  std::optional<IoError> wait(bool for_write, int timeout_ms, int fd);
  void note_local_address();

  int rfd_ = -1, wfd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buf_;
  size_t pos_ = 0;
  std::string local_ip_;
  int local_port_ = 0;
};

}  // namespace util

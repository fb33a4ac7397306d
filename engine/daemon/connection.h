// engine/daemon/connection.h — one client connection of the daemon: a non-blocking socket,
// optionally TLS (on connect, or after STARTTLS), and the SMTP Session it carries.
//
// The daemon's event loop calls on_readable()/on_writable(); the connection moves bytes
// between the socket and the session and says through wants() which events it waits for.
// Nothing here blocks. A connection is done() when the session finished and its output is
// sent, or the peer went away, or TLS failed.
#pragma once

#include <openssl/ssl.h>

#include <ctime>
#include <memory>
#include <string>

#include "engine/smtp/session.h"

namespace engine::daemon {

class TlsServer;
struct Runtime;  // config + ACLs shared by the sessions started under them (daemon.h)

class Connection {
 public:
  Connection(int fd, std::shared_ptr<const Runtime> rt,
             std::unique_ptr<smtp::SessionServices> services, smtp::SessionSettings settings,
             const TlsServer* tls, bool tls_on_connect);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  void on_readable();
  void on_writable();
  void on_timeout();                                       // smtp_receive_timeout expired
  void store_finished(bool ok, const std::string& error);  // the spool commit is done
  // `delay =` holds replies: true while output waits for its time; resume() sends it.
  bool held() const { return held_; }
  void resume();
  bool done() const { return done_; }
  bool wants_write() const;
  bool wants_read() const;
  int fd() const { return fd_; }
  std::time_t deadline() const { return deadline_; }
  const std::string& client_address() const { return client_; }

 private:
  void pump();       // move session output to the socket, start TLS when asked
  bool start_tls();  // create the SSL and begin the handshake
  void continue_handshake();
  long raw_read(char* buf, size_t n);         // >0 bytes, 0 EOF, -1 would block, -2 error
  long raw_write(const char* buf, size_t n);  // >=0 bytes, -1 would block, -2 error
  void touch();

  int fd_;
  std::shared_ptr<const Runtime> rt_;
  std::unique_ptr<smtp::SessionServices> services_;  // outlives the session
  std::unique_ptr<smtp::Session> session_;
  const TlsServer* tls_;
  SSL* ssl_ = nullptr;
  bool handshaking_ = false;
  bool tls_on_connect_;
  bool want_write_in_ssl_ = false;  // SSL_read/accept asked for writability
  std::string out_;
  size_t out_pos_ = 0;
  bool done_ = false;
  bool held_ = false;           // output waiting for the session's hold_until()
  bool sent_anything_ = false;  // the banner has gone out
  bool input_closed_ = false;
  std::time_t deadline_ = 0;
  int timeout_s_ = 300;
  std::string client_;
};

}  // namespace engine::daemon

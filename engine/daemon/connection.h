// engine/daemon/connection.h — one client connection of the daemon, on the event-loop side:
// a non-blocking socket, optionally TLS (on connect, or after STARTTLS), its output, and the
// queue of events for its session, which runs on the worker pool (session_host.h).
//
// Contract. The loop calls on_readable()/on_writable() and the other event methods; the
// connection reads and writes without blocking, and schedules at most one piece of session
// work at a time: what happens while one is in flight (more input, the end of a commit, a
// timeout) is gathered into the next one. Input is not passed on while the session waits
// for a commit, and stops being read beyond kMaxPendingInput, so a client cannot make the
// daemon buffer without bound. Plain text received after a STARTTLS command is thrown away
// (the session does the same with what it had), and nothing is read between the 220 and the
// handshake. Output that the session holds (`delay =`) is sent at held_until().
//
// Replies usually go out from the worker: on a plain socket with nothing queued or held on
// the loop side, the worker sends the session's output itself and tells the loop quietly
// (LoopQueue::post_quietly) when the loop has nothing to do about it; the loop takes that
// completion at its next iteration, which the client's next command brings. When the loop
// gathered events for the connection meanwhile (needs_loop()), request_completion() makes
// sure it is woken. Either side's view of busy() ends only on the loop thread.
//
// A worker that sent its replies itself goes on with the session while that is cheap for
// everyone (no other job waits for a thread, the loop wants nothing, a bounded number of
// turns): it commits the message it just received itself (the committer's threads would do
// the same, and the kernel groups the syncs of all the threads) instead of having the commit
// handed to another thread and its end travel through the loop, and, on a plain connection whose
// client answers quickly, it polls the socket a moment (kSpinMs) for the next command and reads it
// itself. While a worker may read (worker_reads_, decided by the loop before submitting) the loop
// does not poll the socket for input, so one thread at a time reads it. A client that lets a poll
// expire is not polled for again: its connection goes back to the loop's way.
//
// done() says the connection can be destroyed: the session finished and its output is sent,
// or the socket failed; never while work is in flight (busy()).
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <string>

#include "engine/daemon/session_host.h"

namespace engine::daemon {

class TlsServer;

// What a connection needs from the daemon to have its session work done.
struct ConnectionEnv {
  WorkerPool& pool;
  DaemonShared& shared;  // the log, and the queue back to the loop
};

class Connection {
 public:
  static constexpr size_t kMaxPendingInput = 256 * 1024;
  static constexpr int kSpinMs = 2;     // how long a worker waits for the next command
  static constexpr int kMaxTurns = 64;  // session turns one piece of work may take

  Connection(int fd, uint64_t serial, std::unique_ptr<SessionHost> host,
             std::shared_ptr<const TlsServer> tls, bool tls_on_connect, int timeout_s,
             ConnectionEnv env, std::string client);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  void on_readable();
  void on_writable();
  void work_done();                // the worker finished (LoopEvent::WorkDone)
  void store_done(StoreResult r);  // the spool commit ended (LoopEvent::StoreDone)
  void on_timeout();               // smtp_receive_timeout expired
  void shut_down();                // SIGTERM
  void resume();                   // held output is due

  bool done() const { return !busy_ && (dead_ || (finished_ && !has_output())); }
  // While busy: the loop has something for the connection when the work comes back.
  bool needs_loop() const { return dead_ || !next_.empty(); }
  void request_completion();
  bool dead() const { return dead_; }
  bool busy() const { return busy_; }
  bool held() const { return held_; }
  std::chrono::steady_clock::time_point held_until() const { return hold_until_; }
  // smtp_receive_timeout applies: the connection waits for the client (to send, or to take
  // our output), not for a worker, a commit or a `delay =`.
  bool waits_for_client() const { return !busy_ && !held_ && !store_pending_ && !dead_; }
  bool wants_read() const;
  bool wants_write() const;
  int fd() const { return fd_; }
  uint64_t serial() const { return serial_; }
  std::time_t deadline() const { return deadline_; }
  const std::string& client_address() const { return client_; }

 private:
  void schedule();                 // submits the gathered events when nothing is in flight
  void run_work();                 // on a worker
  bool write_direct();             // on a worker: true when all the output went out
  bool may_go_on(int turn) const;  // on a worker: take another turn of the session
  bool await_input();              // on a worker: the client's next bytes, read into running_
  void pump();                     // sends output, starts TLS when asked
  bool has_output() const { return out_pos_ < out_.size(); }
  void start_tls(smtp::TlsVerify verify);
  void continue_handshake();
  void early_talker();
  long raw_read(char* buf, size_t n);         // >0 bytes, 0 EOF, -1 would block, -2 error
  long raw_write(const char* buf, size_t n);  // >=0 bytes, -1 would block, -2 error
  void touch();
  void log(const std::string& line);

  int fd_;
  uint64_t serial_;
  std::unique_ptr<SessionHost> host_;  // used by a worker while busy_
  std::shared_ptr<const TlsServer> tls_;
  ConnectionEnv env_;
  SessionInput next_;          // gathered for the next piece of work
  SessionInput running_;       // the piece in flight (the worker's)
  SessionReport report_;       // written by the worker, read after work_done()
  bool policy_asked_ = false;  // the work in flight asks the TLS-on-connect policy
  smtp::TlsVerify tls_verify_ = smtp::TlsVerify::None;
  std::chrono::steady_clock::time_point hold_until_{};
  bool timed_out_ = false;
  bool direct_ok_ = false;      // the worker may write to the socket (set before submitting)
  bool direct_sent_ = false;    // the worker wrote some output
  bool direct_failed_ = false;  // ... and the socket failed
  bool worker_reads_ = false;   // the worker may read the socket (set before submitting)
  bool worker_read_ = false;    // it read some input
  bool worker_eof_ = false;     // ... up to the end of it
  bool spin_ok_ = true;         // the client answered within kSpinMs so far
  std::atomic<bool> loop_wants_{false};

  SSL* ssl_ = nullptr;
  bool tls_on_connect_;
  bool handshaking_ = false;
  bool want_write_in_ssl_ = false;  // SSL_read/accept asked for writability
  bool tls_wanted_ = false;         // start the handshake once the output is sent
  std::string out_;
  size_t out_pos_ = 0;
  bool busy_ = false;
  bool dead_ = false;  // the socket failed or TLS did: close as soon as not busy
  bool finished_ = false;
  bool store_pending_ = false;
  bool held_ = false;
  bool sent_anything_ = false;  // the banner has gone out
  bool input_closed_ = false;
  std::time_t deadline_ = 0;
  int timeout_s_;
  std::string client_;
};

}  // namespace engine::daemon

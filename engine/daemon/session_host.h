// engine/daemon/session_host.h — the worker-thread side of a daemon connection: the
// smtp::Session and its services, driven by batches of events from the event loop.
//
// The loop never touches a session. It gathers what happened to a connection (the start, a
// finished TLS handshake, the end of a spool commit, bytes read, end of input, a timeout,
// SIGTERM) into a SessionInput; a worker applies it with SessionHost::run() and hands back a
// SessionReport (the replies to send, and what the session waits for). The daemon keeps at
// most one run() of a connection in flight, so a session is used by one thread at a time,
// and everything else a session touches is shared read-only (the Runtime) or thread-safe
// (the log, the spool committer, the message-id source, the lookup file and regex caches).
//
// DaemonShared is what every session of the daemon shares. DaemonServices (one per
// connection) writes to the logs and hands accepted messages to the committer: the -D and -H
// files are written on the worker, the commit is grouped with other sessions' messages, and
// its end comes back either to the worker, which ran it (SessionHost::commit_store), or to
// the loop as a LoopEvent (then to the session as SessionInput::store).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "engine/daemon/daemon.h"
#include "engine/daemon/worker_pool.h"
#include "engine/delivery_process.h"
#include "engine/log.h"
#include "engine/smtp/auth_services.h"
#include "engine/smtp/session.h"
#include "engine/spool.h"
#include "engine/verify.h"

namespace engine::daemon {

struct DaemonShared {
  std::unique_ptr<Logger> logger;  // null: lines go to stderr
  SpoolLayout layout;
  std::unique_ptr<SpoolCommitter> committer;
  DeliveryProcess delivery;  // immediate deliveries and queue runs (delivery_process.h)
  LoopQueue events;

  void log(unsigned dests, std::string_view line);
};

// The result of a spool commit, for the session that asked for it.
struct StoreResult {
  bool ok = true;
  std::string error;
};

// What happened to a connection since its last piece of work, applied in this order.
struct SessionInput {
  bool tls_policy = false;           // a TLS-on-connect port: report tls_verify before start
  std::optional<smtp::TlsInfo> tls;  // the handshake finished
  bool start = false;                // connection checks, connect ACL, banner
  std::optional<StoreResult> store;  // the message being committed is durable (or not)
  std::string bytes;                 // input from the client
  bool eof = false;                  // the client closed its side
  bool timeout = false;              // smtp_receive_timeout expired
  bool shutdown = false;             // the daemon is stopping

  bool empty() const {
    return !tls_policy && !tls && !start && !store && bytes.empty() && !eof && !timeout &&
           !shutdown;
  }
};

struct SessionReport {
  std::string output;  // replies to send
  bool finished = false;
  bool tls_pending = false;    // send the output, then run the handshake
  bool store_pending = false;  // a commit is under way: input waits for its end
  smtp::TlsVerify tls_verify = smtp::TlsVerify::None;  // for the next handshake
  std::chrono::steady_clock::time_point hold_until{};  // `delay =`: send output after this
};

// The authenticators come from AuthenticatingServices (one set per connection).
class DaemonServices : public smtp::AuthenticatingServices {
 public:
  DaemonServices(DaemonShared& sh, const config::Config& cfg, uint64_t serial)
      : AuthenticatingServices(cfg), sh_(sh), verifier_(cfg), serial_(serial) {}
  void log(std::string_view line) override;
  void log_reject(std::string_view line) override;
  bool store_message_async(const smtp::Transaction& t, const std::string& id) override;
  smtp::VerifyResult verify_address(const smtp::VerifyRequest& req,
                                    lang::EvalContext& ctx) override {
    return verifier_.verify(req, ctx);
  }
  // The message store_message_async() prepared: committed here, on the worker (grouped
  // with the other threads' commits), or handed to the committer, whose sync threads tell
  // the loop when it is done.
  bool store_waiting() const { return prepared_.has_value() || failed_.has_value(); }
  StoreResult commit_store();
  void release_store();

 private:
  bool fail(std::string msg);
  DaemonShared& sh_;
  std::optional<PreparedMessage> prepared_;
  std::string prepared_id_;
  std::optional<StoreResult> failed_;
  AddressVerifier verifier_;  // routing for verify =, VRFY and EXPN
  uint64_t serial_;
};

class SessionHost {
 public:
  SessionHost(std::shared_ptr<const Runtime> rt, DaemonShared& sh, uint64_t serial,
              smtp::SessionSettings settings);
  ~SessionHost();
  SessionHost(const SessionHost&) = delete;
  SessionHost& operator=(const SessionHost&) = delete;

  // On a worker thread. The first call creates the session.
  SessionReport run(SessionInput in);
  // After a run() that left a commit pending (SessionReport::store_pending): the commit, run
  // on this thread; or, with release_store(), its end sent to the loop when it comes.
  bool store_waiting() const { return services_.store_waiting(); }
  StoreResult commit_store() { return services_.commit_store(); }
  void release_store() { services_.release_store(); }

 private:
  std::shared_ptr<const Runtime> rt_;  // the configuration the session started under
  DaemonServices services_;            // outlives the session
  smtp::SessionSettings settings_;     // until the session exists
  std::unique_ptr<smtp::Session> session_;
};

}  // namespace engine::daemon

// engine/smtp/session_events.cpp — what the transport tells the session besides input: the
// client certificate policy before a TLS handshake (spec 42.7), a receive timeout and the
// daemon stopping (spec 44.29, $smtp_notquit_reason "command-timeout", "data-timeout",
// "signal-exit"). The replies and log lines are Exim 4.96's.
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"

namespace engine::smtp {
namespace {

std::string active_hostname(Variables& vars) {
  std::string h;
  vars.get("smtp_active_hostname", h);
  return h;
}

// The client as Exim's host_and_ident() writes it in these lines: "(helo) [ip]".
std::string without_h(std::string id) {
  if (id.rfind("H=", 0) == 0) id.erase(0, 2);
  return id;
}

}  // namespace

// smtp_accept_reserve (spec 14): the last slots below smtp_accept_max are kept for
// smtp_reserve_hosts. False when the session was refused.
bool Session::reserve_slot_ok() {
  int64_t max = int_option("smtp_accept_max");
  int64_t reserve = int_option("smtp_accept_reserve");
  if (settings_.accept_count < 0 || max <= 0 || settings_.accept_count + 1 <= max - reserve) {
    return true;
  }
  if (host_in("smtp_reserve_hosts")) return true;
  services_.log("Connection from [" + settings_.client_address +
                "] temporarily refused: not in reserve list: connected=" +
                std::to_string(settings_.accept_count) + " max=" + std::to_string(max) +
                " reserve=" + std::to_string(reserve));
  close_with(421, primary_hostname(&cfg_) +
                      ": Too many concurrent SMTP connections; please try again later");
  return false;
}

TlsVerify Session::tls_verify_policy() {
  if (!vars_set_) set_session_vars();  // a TLS-on-connect port asks before start()
  if (host_in("tls_verify_hosts")) return TlsVerify::Require;
  if (host_in("tls_try_verify_hosts")) return TlsVerify::Try;
  return TlsVerify::None;
}

void Session::timed_out() {
  if (state_ == State::Closed) return;
  std::string host = active_hostname(*vars_);
  if (state_ == State::Data || state_ == State::Bdat) {
    services_.log("SMTP data timeout (message abandoned) on connection from " +
                  without_h(host_id()) + " F=<" + txn_.sender + ">");
    reply(421, host + " SMTP incoming data timeout - closing connection.");
    drop("data-timeout");
    return;
  }
  services_.log(std::string("SMTP command timeout on") + (tls_active_ ? " TLS" : "") +
                " connection from " + without_h(host_id()));
  reply(421, host + ": SMTP command timeout - closing connection");
  drop("command-timeout");
}

void Session::shut_down() {
  if (state_ == State::Closed) return;
  services_.log("SMTP connection from " + without_h(host_id()) + " closed after SIGTERM");
  reply(421, active_hostname(*vars_) + ": Service not available - closing connection");
  drop("signal-exit");
}

}  // namespace engine::smtp

// engine/smtp/session_auth.cpp — AUTH (RFC 4954; spec chapter 33): the command, the
// dialogue with the authenticator SessionServices provides, Exim's replies and log line, the
// session variables it sets, and the AUTH= parameter of MAIL.
#include <algorithm>
#include <cstdio>
#include <thread>

#include "engine/config/drivers.h"
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "lang/expand.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

bool accepted(const AclOutcome& r) {
  return r.verdict == lang::AclVerdict::Accept;
}

}  // namespace

void Session::cmd_auth(const Command& cmd) {
  bool advertised = !auth_advertised_.empty();
  if (!advertised && !controls_.allow_auth_unadvertised) {
    (void)synprot_error(503, "AUTH command used when not advertised");
    return;
  }
  if (authenticated_) {
    (void)synprot_error(503, "already authenticated");
    return;
  }
  if (txn_.mail_given) {
    (void)synprot_error(503, "not permitted in mail transaction");
    return;
  }
  AclOutcome r = run_acl(AclWhere::Auth);
  if (!accepted(r)) {
    acl_refusal(AclWhere::Auth, r);
    return;
  }
  std::string_view a = cmd.arg;
  size_t sp = a.find(' ');
  std::string mech = util::to_upper(a.substr(0, sp));
  std::string initial = sp == std::string_view::npos ? "" : std::string(util::trim(a.substr(sp)));
  // Only a mechanism offered to this client, unless the ACL allowed AUTH unadvertised (spec
  // 33.3; control = allow_auth_unadvertised).
  bool offered =
      std::find(auth_advertised_.begin(), auth_advertised_.end(), mech) != auth_advertised_.end();
  if (offered || controls_.allow_auth_unadvertised) auth_ = services_.auth_start(mech, ctx_);
  if (!auth_) {
    (void)synprot_error(504, mech + " authentication mechanism not supported");
    return;
  }
  auth_step(initial, true);
}

// One step of the AUTH dialogue; "*" from the client cancels it (RFC 4954 section 4).
void Session::auth_response(std::string_view line) {
  state_ = State::Command;
  if (line == "*") {
    std::string name = auth_->authenticator();
    auth_.reset();
    auth_finished(name, AuthStep{AuthStep::Fail, "", "", ""}, true);
    return;
  }
  auth_step(line, false);
}

void Session::auth_step(std::string_view response, bool initial) {
  auto started = std::chrono::steady_clock::now();
  AuthStep s = auth_->step(response, initial);
  if (s.kind == AuthStep::Challenge) {
    reply(334, s.text);
    state_ = State::AuthResponse;
    return;
  }
  std::string name = auth_->authenticator();
  auth_.reset();
  pace_auth_reply(started);
  auth_finished(name, s, false);
}

// The reply, variables and log line for the end of an AUTH dialogue (Exim's smtp_in_auth).
void Session::auth_finished(const std::string& name, const AuthStep& s, bool cancelled) {
  std::string id = printable_id(s.id);
  if (s.kind == AuthStep::Success && !cancelled) {
    auth_succeeded(name, id);
    reply(235, "Authentication succeeded");
    return;
  }
  vars_->set("authentication_failed", "1");
  std::string set_id = id.empty() ? "" : " (set_id=" + id + ")";
  bool records_id = !cancelled && (s.kind == AuthStep::Fail || s.kind == AuthStep::Defer ||
                                   s.kind == AuthStep::TempFail);
  if (records_id && !id.empty()) vars_->set("authenticated_fail_id", id);
  int code = 535;
  std::string text = "Incorrect authentication data";
  if (cancelled) {
    code = 501, text = "Authentication cancelled";
  } else if (s.kind == AuthStep::Defer) {
    code = 435, text = "Unable to authenticate at present";
  } else if (s.kind == AuthStep::TempFail) {
    code = 454, text = "4.7.0 Temporary authentication failure";
  } else if (s.kind == AuthStep::Bad64) {
    code = 501, text = "Invalid base64 data";
  } else if (s.kind == AuthStep::Unexpected) {
    code = 553, text = "Initial data not expected";
  }
  std::string detail = s.log.empty() ? "" : ": " + s.log;
  std::string who = host_id();
  if (who.rfind("H=", 0) == 0) who.erase(0, 2);
  services_.log_reject(name + " authenticator failed for " + who + ": " + std::to_string(code) +
                       " " + text + (records_id ? set_id : "") + detail);
  reply(code, text + (s.kind == AuthStep::Defer ? s.text : ""));
}

void Session::auth_succeeded(const std::string& name, const std::string& id) {
  authenticated_ = true;
  authenticated_by_ = name;
  if (!id.empty()) vars_->set("authenticated_id", id);
  vars_->set("sender_host_authenticated", name);
  vars_->set("authentication_failed", "0");
  vars_->unset("authenticated_fail_id");
  vars_->set("received_protocol", protocol_name());
}

// The tls authenticator, after a negotiation in which the client's certificate verified: no
// reply either way; a failure is logged and the client may still use AUTH.
void Session::tls_authenticate() {
  std::unique_ptr<AuthExchange> ex = services_.tls_auth_start(ctx_);
  if (!ex) return;
  if (!vars_set_) set_session_vars();  // TLS on connect: before start()
  AuthStep s = ex->step("", true);
  std::string id = printable_id(s.id);
  if (s.kind == AuthStep::Success) {
    auth_succeeded(ex->authenticator(), id);
    return;
  }
  vars_->set("authentication_failed", "1");
  if (!id.empty()) vars_->set("authenticated_fail_id", id);
  std::string who = host_id();
  if (who.rfind("H=", 0) == 0) who.erase(0, 2);
  services_.log_reject(ex->authenticator() + " authenticator failed for " + who +
                       (id.empty() ? "" : " (set_id=" + id + ")") +
                       (s.log.empty() ? "" : ": " + s.log));
}

// Every AUTH outcome is answered no sooner than kAuthDuration after the client's last data
// arrived, so the time taken does not tell a right user name from a wrong one (chasquid's
// AuthDuration) and password guessing is slowed. An event-loop transport holds the reply;
// -bh does not wait (Exim's host checking runs at full speed).
void Session::pace_auth_reply(std::chrono::steady_clock::time_point started) {
  if (settings_.host_checking) return;
  auto until = started + kAuthDuration;
  if (settings_.event_loop) {
    if (hold_until_ < until) hold_until_ = until;
  } else {
    std::this_thread::sleep_until(until);
  }
}

// $received_protocol as Exim builds it: smtp, smtps, esmtp, esmtps, esmtpa, esmtpsa
// (authentication counts as "extended"), with "local-" for -bs.
std::string Session::protocol_name() const {
  static constexpr const char* kNames[] = {"smtp", "smtps", "esmtp", "esmtps", "esmtpa", "esmtpsa"};
  int i = (esmtp_ ? 2 : 0) + (authenticated_ ? 2 : 0) + (tls_active_ ? 1 : 0);
  return (settings_.local_smtp ? "local-" : "") + std::string(kNames[i]);
}

// The id is logged and spooled: non-printing bytes become \ooo escapes (Exim's
// string_printing), so that no CR, LF or NUL from the client gets there.
std::string Session::printable_id(std::string_view id) {
  std::string out;
  for (unsigned char c : id) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out;
}

// server_mail_auth_condition of the authenticator that authenticated the client: unset, or
// expanding to anything but "", "0", "no", "false" (a failure counts as false).
bool Session::mail_auth_condition_ok() {
  for (const auto& inst : cfg_.authenticators) {
    if (inst.name != authenticated_by_) continue;
    config::InstanceOptions o(config::DriverKind::Authenticator, inst);
    if (!o.is_set("server_mail_auth_condition")) return true;
    std::string v;
    return o.expand("server_mail_auth_condition", ctx_, v).is_ok() && !lang::is_false_string(v);
  }
  return true;
}

}  // namespace engine::smtp

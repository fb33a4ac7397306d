// engine/smtp/session_misc.cpp — VRFY, EXPN and ETRN behind their ACLs, and STARTTLS
// (RFC 5321 3.5 and 4.1.1.6-7, RFC 1985, RFC 3207; spec chapters 44 and 48).
#include <unistd.h>

#include "engine/message_id.h"
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

bool accepted(const AclOutcome& r) {
  return r.verdict == lang::AclVerdict::Accept;
}

}  // namespace

// Exim 4.96's id (engine/message_id.h), from one source per process.
std::string SessionServices::new_message_id() {
  static MessageIdSource source(static_cast<uint64_t>(getpid()));
  return source.next().id;
}

Variables& Session::variables() {
  return *vars_;
}

// The address of VRFY/EXPN, qualified with qualify_recipient when it has no domain.
static std::string qualify_for_verify(const Path& p, const std::string& qualify) {
  return p.domain.empty() ? p.local_part + "@" + qualify : p.address();
}

// VRFY and EXPN: runs the verb's ACL and reads the (qualified) address; false when a reply
// has been given already.
bool Session::vrfy_expn_address(AclWhere where, const Command& cmd, std::string& addr) {
  AclOutcome r = run_acl(where);
  if (!accepted(r)) {
    acl_refusal(where, r);
    return false;
  }
  auto p = parse_path(cmd.arg, {});
  if (!p) {
    reply(501, p.error().message);
    return false;
  }
  std::string q = option("qualify_recipient");
  if (q.empty()) q = option("qualify_domain");
  addr = qualify_for_verify(*p, q);
  return true;
}

void Session::cmd_vrfy(const Command& cmd) {
  std::string addr;
  if (!vrfy_expn_address(AclWhere::Vrfy, cmd, addr)) return;
  VerifyResult v = services_.verify_address(addr, false, ctx_);
  if (v.status == VerifyStatus::Ok) {
    reply(250, "<" + addr + "> is deliverable");
  } else if (v.status == VerifyStatus::Fail) {
    reply(550, "<" + addr + "> " + (v.message.empty() ? "Unrouteable address" : v.message));
  } else {
    reply(252, "<" + addr + "> cannot be verified at present");
  }
}

void Session::cmd_expn(const Command& cmd) {
  std::string addr;
  if (!vrfy_expn_address(AclWhere::Expn, cmd, addr)) return;
  VerifyResult v = services_.verify_address(addr, true, ctx_);
  if (v.status == VerifyStatus::Ok) {
    if (v.addresses.empty()) v.addresses.push_back(addr);
    for (size_t i = 0; i < v.addresses.size(); ++i) {
      reply(250, "<" + v.addresses[i] + ">", i + 1 == v.addresses.size());
    }
  } else if (v.status == VerifyStatus::Fail) {
    reply(550, "<" + addr + "> " + (v.message.empty() ? "Unrouteable address" : v.message));
  } else {
    reply(451, "<" + addr + "> cannot be expanded at present");
  }
}

// ETRN (RFC 1985): with no smtp_etrn_command only "#queue" arguments are acknowledged.
void Session::cmd_etrn(const Command& cmd) {
  if (cmd.arg.empty()) {
    (void)synprot_error(501, "ETRN must have an argument");
    return;
  }
  if (log_selector_.on(LogItem::Etrn)) {
    services_.log("ETRN " + cmd.arg + " received from " + full_host());
  }
  AclOutcome r = run_acl(AclWhere::Etrn);
  if (!accepted(r)) {
    acl_refusal(AclWhere::Etrn, r);
    return;
  }
  std::string command = option("smtp_etrn_command");
  if (command.empty() && cmd.arg[0] != '#') {
    reply(501, "argument must begin with #");
    return;
  }
  if (settings_.host_checking) {  // nothing is run in -bh, as Exim says
    trace_note("ETRN command is: " + (command.empty() ? std::string("exim -R") : command));
    trace_note("ETRN command execution skipped");
  }
  reply(250, "OK");
}

// STARTTLS: after "220" the transport runs the handshake and calls tls_started(); anything
// the client sent after the command in clear is thrown away (T-TLS-1).
void Session::cmd_starttls() {
  if (!starttls_advertised_) {
    (void)synprot_error(503, "STARTTLS command used when not advertised");
    return;
  }
  if (!settings_.tls_can_start) {
    reply(454, "TLS currently unavailable");
    return;
  }
  AclOutcome r = run_acl(AclWhere::Starttls);
  if (!accepted(r)) {
    acl_refusal(AclWhere::Starttls, r);
    return;
  }
  reply(220, "TLS go ahead");
  in_.clear();
  in_pos_ = 0;
  tls_pending_ = true;
}

void Session::tls_started(const std::string& cipher, const std::string& peerdn) {
  tls_pending_ = false;
  tls_active_ = true;
  settings_.tls_available = false;  // never offered again
  in_.clear();
  in_pos_ = 0;
  helo_seen_ = esmtp_ = authenticated_ = false;
  helo_name_.clear();
  authenticated_by_.clear();
  vars_->unset("sender_helo_name");
  client_name_->update_vars();
  vars_->unset("authenticated_id");
  vars_->unset("sender_host_authenticated");
  vars_->set("tls_cipher", cipher);
  vars_->set("tls_in_cipher", cipher);
  vars_->set("tls_peerdn", peerdn);
  vars_->set("tls_in_peerdn", peerdn);
  free_helo_ = true;
  reset_transaction();
}

}  // namespace engine::smtp

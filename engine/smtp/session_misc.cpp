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
  // As in Exim, the ACL sees the address as $local_part and $domain (RCPT's way).
  auto given = parse_path(cmd.arg, {});
  if (given) {
    std::string local = unquote_local_part(given->local_part);
    vars_->set("local_part", util::to_lower(local));
    vars_->set("domain", util::to_lower(given->domain));
  }
  AclOutcome r = run_acl(where);
  vars_->unset("local_part");
  vars_->unset("domain");
  if (!accepted(r)) {
    acl_refusal(where, r);
    return false;
  }
  auto p = parse_path(cmd.arg, {});
  if (!p) {
    reply(501, p.error().message);
    return false;
  }
  if (where == AclWhere::Vrfy && p->domain.empty() && !host_in("recipient_unqualified_hosts")) {
    reply(501, cmd.arg + ": recipient address must contain a domain");
    return false;
  }
  std::string q = option("qualify_recipient");
  if (q.empty()) q = option("qualify_domain");
  addr = qualify_for_verify(*p, q);
  return true;
}

// VRFY and EXPN replies as Exim words them (spec 48.7).
void Session::cmd_vrfy(const Command& cmd) {
  std::string addr;
  if (!vrfy_expn_address(AclWhere::Vrfy, cmd, addr)) return;
  VerifyResult v = services_.verify_address({addr, VerifyKind::Vrfy, false, std::nullopt}, ctx_);
  const std::string& um = v.user_message;
  if (v.status == VerifyStatus::Ok)
    reply(250, "<" + addr + "> is deliverable");
  else if (v.status == VerifyStatus::Fail)
    reply(550, "<" + addr + "> " + (um.empty() ? "is not deliverable" : um));
  else
    reply(451, um.empty() ? "Cannot resolve <" + addr + "> at this time" : "<" + addr + "> " + um);
}

void Session::cmd_expn(const Command& cmd) {
  std::string addr;
  if (!vrfy_expn_address(AclWhere::Expn, cmd, addr)) return;
  VerifyResult v = services_.verify_address({addr, VerifyKind::Expn, false, std::nullopt}, ctx_);
  if (v.addresses.empty()) v.addresses.push_back(addr + " cannot be resolved at this time");
  int code = v.status == VerifyStatus::Ok ? 250 : 553;
  for (size_t i = 0; i < v.addresses.size(); ++i)
    reply(code, v.addresses[i], i + 1 == v.addresses.size());
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

void Session::tls_started(const TlsInfo& tls) {
  tls_pending_ = false;
  tls_active_ = true;
  settings_.tls_available = false;  // never offered again
  in_.clear();
  in_pos_ = 0;
  helo_seen_ = esmtp_ = authenticated_ = false;
  // Nothing advertised in clear holds inside TLS (T-TLS-3): a new EHLO says what does.
  pipelining_advertised_ = chunking_advertised_ = starttls_advertised_ = false;
  dsn_advertised_ = smtputf8_advertised_ = false;
  auth_advertised_.clear();
  helo_name_.clear();
  authenticated_by_.clear();
  vars_->unset("sender_helo_name");
  client_name_->update_vars();
  vars_->unset("authenticated_id");
  vars_->unset("sender_host_authenticated");
  vars_->set("tls_cipher", tls.cipher);
  vars_->set("tls_in_cipher", tls.cipher);
  vars_->set("tls_in_ver", tls.version);
  vars_->set("tls_in_cipher_std", tls.cipher_std);
  vars_->set("tls_bits", std::to_string(tls.bits));
  vars_->set("tls_in_bits", std::to_string(tls.bits));
  vars_->set("tls_peerdn", tls.peerdn);
  vars_->set("tls_in_peerdn", tls.peerdn);
  vars_->set("tls_in_certificate_verified", tls.verified ? "1" : "0");
  vars_->set("tls_certificate_verified", tls.verified ? "1" : "0");
  free_helo_ = true;
  reset_transaction();
  if (tls.verified) tls_authenticate();
}

}  // namespace engine::smtp

// engine/smtp/session_mail.cpp — MAIL and RCPT: sequencing, ESMTP parameters (SIZE, BODY,
// AUTH, RET, ENVID, SMTPUTF8; NOTIFY, ORCPT), address syntax, qualification, the percent
// hack, recipients_max, and the MAIL and RCPT ACLs (RFC 5321 4.1.1.2-3, RFC 1870, RFC 6152,
// RFC 4954 section 5, RFC 3461, RFC 6531; spec chapter 48).
#include <climits>

#include "engine/config/main_options.h"
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

bool accepted(const AclOutcome& r) {
  return r.verdict == lang::AclVerdict::Accept || r.verdict == lang::AclVerdict::Discard;
}

void set_address_vars(Variables& v, std::string_view prefix, const std::string& address) {
  size_t at = address.rfind('@');
  v.set(std::string(prefix), address);
  v.set(std::string(prefix) + "_local_part",
        at == std::string::npos ? address : address.substr(0, at));
  v.set(std::string(prefix) + "_domain", at == std::string::npos ? "" : address.substr(at + 1));
}

}  // namespace

// Peels the MAIL parameters off `arg`; false when an error reply was given.
bool Session::mail_params(std::string& arg) {
  Param p;
  std::string restored;
  while (take_last_param(arg, p, restored)) {
    std::string name = util::to_upper(p.name);
    if (name == "SIZE" && p.has_value) {
      uint64_t n = 0;
      if (!parse_decimal(p.value, INT_MAX, n)) break;  // ignored, as Exim does
      txn_.declared_size = n;
    } else if (name == "BODY" && p.has_value) {
      if (util::iequals(p.value, "8BITMIME"))
        txn_.body_type = 8;
      else if (util::iequals(p.value, "7BIT"))
        txn_.body_type = 7;
      else {
        (void)synprot_error(501, "invalid data for BODY");
        return false;
      }
    } else if (name == "AUTH" && p.has_value) {
      std::string decoded;
      if (p.value != "<>" && !xtext_decode(p.value, decoded)) {
        {
          (void)synprot_error(501, "invalid data for AUTH");
          return false;
        }
      }
      // "<>" is ignored; any other value is judged by mail_auth() (spec 33.2).
      if (p.value != "<>") txn_.auth_param = {p.value, decoded};
    } else if (name == "RET" && p.has_value && dsn_advertised_) {
      if (!txn_.ret.empty()) {
        (void)synprot_error(501, "RET can be specified once only");
        return false;
      }
      if (!util::iequals(p.value, "HDRS") && !util::iequals(p.value, "FULL")) {
        {
          (void)synprot_error(501, "Value for RET is invalid");
          return false;
        }
      }
      txn_.ret = util::to_upper(p.value);
    } else if (name == "ENVID" && p.has_value && dsn_advertised_) {
      if (!txn_.envid.empty()) {
        (void)synprot_error(501, "ENVID can be specified once only");
        return false;
      }
      txn_.envid = p.value;
    } else if ((name == "RET" || name == "ENVID") && p.has_value) {
      // DSN not advertised: accepted and ignored.
    } else if (name == "SMTPUTF8" && !p.has_value) {
      if (!smtputf8_advertised_) {
        {
          (void)synprot_error(501, "SMTPUTF8 used when not advertised");
          return false;
        }
      }
      txn_.smtputf8 = true;
    } else if (name == "PRDR" && !p.has_value) {
      // PRDR is not offered; the keyword is accepted and ignored.
    } else {
      arg = restored;  // unknown: it becomes part of the (then malformed) address
      break;
    }
  }
  return true;
}

// RCPT parameters are only the DSN ones, and only when DSN was advertised.
bool Session::rcpt_params(std::string& arg) {
  Param p;
  std::string restored;
  while (take_last_param(arg, p, restored, ParamVerb::Rcpt)) {
    std::string name = util::to_upper(p.name);
    if (dsn_advertised_ && name == "NOTIFY" && p.has_value) {
      // Recorded on the recipient after the address is known.
      vars_->set("dsn_notify", p.value);
    } else if (dsn_advertised_ && name == "ORCPT" && p.has_value) {
      vars_->set("dsn_orcpt", p.value);
    } else {
      arg = restored;
      break;
    }
  }
  return true;
}

// Parses the address operand; on failure the 501 reply names the operand.
bool Session::parse_operand(const Command& cmd, std::string& arg, bool is_mail, Path& out) {
  PathOptions po;
  po.allow_empty = is_mail;
  po.allow_domain_literals = config::main_bool(cfg_, "allow_domain_literals");
  auto r = parse_path(arg, po);
  if (!r) {
    (void)synprot_error(501, arg + ": " + r.error().message);
    if (!is_mail) txn_.rcpt_fail_message = "501 " + arg + ": " + r.error().message;
    return false;
  }
  (void)cmd;
  out = std::move(r.value());
  return true;
}

// The AUTH= parameter of MAIL (spec chapter 33, "The AUTH parameter on MAIL commands"):
// acl_smtp_mailauth decides when it is set (with $authenticated_sender holding the value),
// otherwise the value is kept only for an authenticated client; an ignored value is logged.
// False when the ACL deferred (or used drop/discard, which it may not) and 451 was given.
bool Session::mail_auth(const std::string& operand) {
  const auto& [raw, value] = txn_.auth_param;
  bool ok = authenticated_;
  std::string why = "client not authenticated";
  if (!option("acl_smtp_mailauth").empty()) {
    vars_->set("authenticated_sender", value);
    AclOutcome r = run_acl(AclWhere::MailAuth);
    if (r.verdict == lang::AclVerdict::Drop || r.verdict == lang::AclVerdict::Discard) {
      services_.log(std::string(r.verdict == lang::AclVerdict::Drop ? "\"drop\"" : "\"discard\"") +
                    " verb not allowed in MAILAUTH ACL");
      r = AclOutcome{lang::AclVerdict::Error, "", "", true};
    }
    if (r.verdict == lang::AclVerdict::Defer || r.verdict == lang::AclVerdict::Error) {
      std::string address(util::trim(operand));
      if (address.size() >= 2 && address.front() == '<')
        address = address.substr(1, address.find('>') - 1);
      txn_.auth_param.first = "<" + address + "> AUTH=" + raw;  // for the refusal's log line
      acl_refusal(AclWhere::MailAuth, r);
      vars_->unset("authenticated_sender");
      txn_ = Transaction{};
      return false;
    }
    ok = r.verdict == lang::AclVerdict::Accept;
    why = "rejected by ACL";
  }
  if (ok && authenticated_) {  // the authenticator's server_mail_auth_condition
    vars_->set("authenticated_sender", value);
    if (!mail_auth_condition_ok()) {
      ok = false;
      std::string id;
      why = "server_mail_auth_condition failed";
      if (vars_->get("authenticated_id", id)) why += ": authenticated ID=\"" + id + "\"";
    }
  }
  if (ok) {
    txn_.auth_sender = value;
    vars_->set("authenticated_sender", value);
  } else {
    vars_->unset("authenticated_sender");
    services_.log("ignoring AUTH=" + printable_id(raw) + " from " + host_id() + " (" + why + ")");
  }
  return true;
}

void Session::cmd_mail(const Command& cmd) {
  if (!helo_seen_ && (host_flags_.helo_verify || host_in("hosts_require_helo"))) {
    services_.log_reject("rejected MAIL from " + full_host() + ": no HELO/EHLO given");
    (void)synprot_error(503, "HELO or EHLO required");
    return;
  }
  if (txn_.mail_given) {
    (void)synprot_error(503, "sender already given");
    return;
  }
  if (cmd.arg.empty()) {
    (void)synprot_error(501, "MAIL must have an address operand");
    return;
  }
  reset_transaction();
  std::string arg = cmd.arg;
  if (esmtp_ && !mail_params(arg)) return;
  if (!txn_.auth_param.first.empty() && !mail_auth(arg)) return;
  uint64_t limit = message_size_limit();
  if (limit > 0 && txn_.declared_size > limit) {
    if (log_selector_.on(LogItem::SizeReject)) {
      services_.log_reject("rejected MAIL FROM:" + arg + " " + host_id() +
                           ": message too big: size=" + std::to_string(txn_.declared_size) +
                           " max=" + std::to_string(limit));
    }
    reply(552, "Message size exceeds maximum permitted");
    txn_ = Transaction{};
    return;
  }
  vars_->set("message_size", std::to_string(txn_.declared_size));
  Path path;
  if (!parse_operand(cmd, arg, true, path)) return;
  std::string sender = path.empty ? "" : path.address();
  if (!path.empty && path.domain.empty()) {
    if (!host_flags_.sender_unqualified) {
      (void)synprot_error(501, arg + ": sender address must contain a domain");
      return;
    }
    sender += "@" + option("qualify_domain");
    if (sender.back() == '@') sender += primary_hostname(&cfg_);
  }
  set_address_vars(*vars_, "sender_address", sender);
  AclOutcome r = run_acl(AclWhere::Mail);
  if (!accepted(r)) {
    acl_refusal(AclWhere::Mail, r);
    vars_->unset("sender_address");
    return;
  }
  txn_.mail_given = true;
  txn_.sender = sender;
  txn_.discard = r.verdict == lang::AclVerdict::Discard;
  if (txn_.discard) {
    services_.log(host_id() + " MAIL <" + sender + ">: discarded by MAIL ACL" +
                  (r.log_message.empty() ? "" : ": " + r.log_message));
    txn_.discarded_by = "MAIL";
  }
  reply_message(250, r.message.empty() ? "OK" : r.message);
}

void Session::cmd_rcpt(const Command& cmd) {
  if (!txn_.mail_given) {
    // After a refused MAIL, pipelined RCPTs are "expected" errors: not counted against
    // smtp_max_synprot_errors (spec 14), as Exim does.
    bool expected = pipelining_advertised_ && last_was_rej_mail_;
    if (expected) was_rej_mail_ = true;
    if (expected ? (reply(503, "sender not yet given"), true)
                 : !synprot_error(503, "sender not yet given")) {
      if (!txn_.rcpt_fail_message.empty() && txn_.rcpt_fail_message != "503 sender not yet given")
        txn_.rcpt_fail_same = false;
      txn_.rcpt_fail_message = "503 sender not yet given";
    }
    return;
  }
  if (cmd.arg.empty()) {
    (void)synprot_error(501, "RCPT must have an address operand");
    return;
  }
  ++txn_.rcpt_commands;
  vars_->set("rcpt_count", std::to_string(txn_.rcpt_commands));  // the RCPT ACL counts this one
  vars_->unset("dsn_notify");
  vars_->unset("dsn_orcpt");
  std::string arg = cmd.arg;
  if (esmtp_ && !rcpt_params(arg)) return;
  Path path;
  if (!parse_operand(cmd, arg, false, path)) return;
  rcpt_given_ = std::string(util::trim(arg));
  if (rcpt_given_.size() >= 2 && rcpt_given_.front() == '<' && rcpt_given_.back() == '>') {
    rcpt_given_ = rcpt_given_.substr(1, rcpt_given_.size() - 2);
  }
  std::string local = unquote_local_part(path.local_part);
  std::string domain = util::to_lower(path.domain);
  if (domain.empty()) {
    std::string qualify = option("qualify_recipient");
    if (qualify.empty()) qualify = option("qualify_domain");
    if (qualify.empty()) qualify = primary_hostname(&cfg_);
    if (util::iequals(local, "postmaster")) {
      local = "postmaster";
    } else if (!host_flags_.recipient_unqualified) {
      (void)synprot_error(501, arg + ": recipient address must contain a domain");
      return;
    }
    domain = util::to_lower(qualify);
  }
  percent_hack(local, domain,
               [this](const std::string& d) { return domain_in("percent_hack_domains", d); });
  uint64_t max = static_cast<uint64_t>(int_option("recipients_max"));
  if (max > 0 && txn_.recipients.size() >= max) {
    if (!txn_.too_many) {
      services_.log_reject("too many recipients: excess temporarily rejected: sender=<" +
                           txn_.sender + "> " + host_id());
    }
    txn_.too_many = true;
    reply(452, "too many recipients");
    return;
  }
  std::string address = local + "@" + domain;
  rcpt_local_part_ = local;
  controls_.caseful_local_part = false;
  vars_->set("local_part", controls_.caseful_local_part ? local : util::to_lower(local));
  vars_->set("domain", domain);
  AclOutcome r = run_acl(AclWhere::Rcpt);
  if (!accepted(r)) acl_refusal(AclWhere::Rcpt, r);
  vars_->unset("local_part");
  vars_->unset("domain");
  rcpt_local_part_.clear();
  if (!accepted(r)) return;
  if (r.verdict == lang::AclVerdict::Discard || txn_.discard) {
    if (r.verdict == lang::AclVerdict::Discard) {
      services_.log(host_id() + " F=<" + txn_.sender + "> RCPT <" + address +
                    ">: discarded by RCPT ACL" +
                    (r.log_message.empty() ? "" : ": " + r.log_message));
      if (txn_.discarded_by.empty()) txn_.discarded_by = "RCPT";
    }
    ++txn_.discarded;
  } else {
    Recipient rc{address, "", ""};
    vars_->get("dsn_orcpt", rc.orcpt);
    vars_->get("dsn_notify", rc.notify);
    txn_.recipients.push_back(std::move(rc));
    std::string list;
    for (const auto& x : txn_.recipients) list += (list.empty() ? "" : ", ") + x.address;
    vars_->set("recipients", list);
    vars_->set("recipients_count", std::to_string(txn_.recipients.size()));
  }
  reply_message(250, r.message.empty() ? "Accepted" : r.message);
}

}  // namespace engine::smtp

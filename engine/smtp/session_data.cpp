// engine/smtp/session_data.cpp — DATA and BDAT: the checks before data (recipients, the
// predata ACL), reading the data (message.h), message_size_limit, the Received: header, the
// DATA ACL and handing the message to the spool (RFC 5321 4.1.1.4, RFC 3030; spec 48).
#include <algorithm>

#include "engine/smtp/address.h"
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "engine/smtp/spool_message.h"
#include "util/strings.h"

namespace engine::smtp {

// DATA/BDAT without a usable recipient: Exim repeats the RCPT error when all were the same;
// the error is "expected" (not counted) when the client pipelined it right behind refused
// RCPTs.
bool Session::predata_ok(std::string_view verb) {
  if (txn_.mail_given && (!txn_.recipients.empty() || txn_.discarded > 0)) return true;
  std::string prefix;
  if (txn_.rcpt_fail_same && !txn_.rcpt_fail_message.empty()) {
    prefix = "All RCPT commands were rejected with this error:\n" + txn_.rcpt_fail_message + "\n";
  }
  std::string text = "alid RCPT command must precede " + std::string(verb);
  if (pipelining_advertised_ && last_was_rcpt_ && txn_.rcpt_fail_count > 0) {
    reply(503, prefix + "V" + text);
  } else {
    (void)synprot_error(503, prefix + "v" + text);
  }
  return false;
}

void Session::cmd_data() {
  if (!predata_ok("DATA")) return;
  AclOutcome r = run_acl(AclWhere::Predata);
  if (r.verdict != lang::AclVerdict::Accept) {
    acl_refusal(AclWhere::Predata, r);
    return;
  }
  reply_message(
      354, r.message.empty() ? "Enter message, ending with \".\" on a line by itself" : r.message);
  data_.reset(settings_.lf_line_endings, data_limits());
  state_ = State::Data;
  if (ctx_.list_tracer) (void)host_in("ignore_fromline_hosts");  // not implemented: trace only
}

void Session::process_data() {
  if (data_.consume(in_, in_pos_, txn_) == DataReader::Result::End) {
    state_ = State::Command;
    end_of_message();
  }
}

DataLimits Session::data_limits() {
  return {message_size_limit(),
          static_cast<uint64_t>(std::max<int64_t>(0, int_option("header_maxsize"))),
          static_cast<uint64_t>(std::max<int64_t>(0, int_option("header_line_maxsize")))};
}

// BDAT n [LAST] (RFC 3030): n bytes follow the command line, taken as they are. As in Exim,
// the predata ACL does not run for BDAT (spec 44.8), and a BDAT refused for want of a
// recipient still has its chunk read and thrown away: its bytes are never taken as commands
// (T-BDAT-2/3, CVE-2020-28019 shape).
void Session::cmd_bdat(const Command& cmd) {
  if (!chunking_advertised_) {
    (void)synprot_error(503, "BDAT command used when CHUNKING not advertised");
    return;
  }
  std::string_view a = cmd.arg;
  size_t sp = a.find_first_of(" \t");
  std::string_view num = a.substr(0, sp);
  std::string_view rest = sp == std::string_view::npos ? "" : util::trim(a.substr(sp));
  uint64_t n = 0;
  // As in Exim, anything after the size but LAST makes a chunk that is not the last one: its
  // bytes are still read as data, never as commands.
  if (!parse_decimal(num, UINT64_MAX / 2, n)) {
    (void)synprot_error(501, "missing size for BDAT command");
    return;
  }
  uint64_t limit = message_size_limit();
  if (limit > 0 && n > limit + 1024 * 1024) {
    // The chunk cannot be accepted and its bytes cannot be told from commands: give up
    // (T-BDAT-4; nothing is allocated for the size given).
    close_with(552, "Message size exceeds maximum permitted");
    drop("bad-commands");
    return;
  }
  if (bdat_need_rset_) {
    (void)synprot_error(503, "only RSET accepted now");
    return skip_chunk(n);
  }
  if (!bdat_active_) {
    if (!predata_ok("BDAT")) return skip_chunk(n);
    data_.reset(false, data_limits());
    bdat_active_ = true;
  }
  bdat_remaining_ = bdat_size_ = n;
  bdat_last_ = util::iequals(rest, "LAST");
  state_ = State::Bdat;
  process_bdat();
}

void Session::skip_chunk(uint64_t size) {
  if (state_ == State::Closed || size == 0) return;
  bdat_remaining_ = size;
  bdat_discard_ = true;
  state_ = State::Bdat;
  process_bdat();
}

// Between chunks (after BDAT without LAST) only BDAT, RSET, QUIT and NOOP are allowed. Any
// other command gets 503 and the transaction is then in doubt (RFC 3030 section 2): until
// RSET, nothing but QUIT is taken, as Exim does (cmd_bdat refuses a BDAT then, and drops its
// chunk). True when `v` was refused.
bool Session::bdat_sequence_error(Verb v) {
  if (!bdat_active_ || v == Verb::Rset || v == Verb::Quit || v == Verb::Bdat) return false;
  if (bdat_need_rset_) {
    (void)synprot_error(503, "only RSET accepted now");
    return true;
  }
  if (v == Verb::Noop) return false;
  bdat_need_rset_ = true;
  (void)synprot_error(503, "only BDAT permissible after non-LAST BDAT");
  return true;
}

void Session::process_bdat() {
  size_t avail = in_.size() - in_pos_;
  size_t take = static_cast<size_t>(std::min<uint64_t>(avail, bdat_remaining_));
  if (take > 0 && !bdat_discard_)
    data_.add_chunk(std::string_view(in_).substr(in_pos_, take), txn_);
  in_pos_ += take;
  bdat_remaining_ -= take;
  if (bdat_remaining_ > 0) return;
  state_ = State::Command;
  if (bdat_discard_) {
    bdat_discard_ = false;
    return;
  }
  if (!bdat_last_) {
    reply(250, std::to_string(bdat_size_) + " byte chunk received");
    return;
  }
  data_.end_chunks(txn_);
  bdat_active_ = false;
  end_of_message();
}

// The Received: header (received_header_text, expanded) and ";\n\tdate".
std::string Session::received_header() {
  std::string text = option("received_header_text");
  if (text.empty()) return "";
  std::string date;
  vars_->get("tod_full", date);
  return text + ";\n\t" + date + "\n";  // Exim always folds before the date
}

void Session::end_of_message() {
  vars_->set("message_size", std::to_string(txn_.size));
  vars_->set("message_linecount", std::to_string(txn_.lines));
  std::string_view body = transaction_body(txn_);
  vars_->set("body_linecount", std::to_string(util::count_byte(body, '\n')));
  vars_->set("body_zerocount", std::to_string(util::count_byte(body, '\0')));
  vars_->set("max_received_linelength", std::to_string(txn_.max_line_length));
  txn_.message_id = services_.new_message_id();
  if (data_.too_big()) {
    services_.log_reject(txn_.message_id + " rejected from <" + txn_.sender + "> " + host_id() +
                         ": message too big: read=" + std::to_string(txn_.size) +
                         " max=" + std::to_string(message_size_limit()));
    reply(552, "Message size exceeds maximum permitted");
    reset_transaction();
    return;
  }
  if (data_.header_too_big() || data_.header_line_too_long()) {
    bool whole = data_.header_too_big();
    services_.log_reject(host_id() + " F=<" + txn_.sender + "> rejected after DATA: " +
                         (whole ? "header section too big" : "header line too long"));
    reply(552,
          whole ? "Message header size exceeds maximum permitted" : "Message header line too long");
    reset_transaction();
    return;
  }
  if (data_.bare_line_ending()) {
    services_.log_reject(host_id() + " F=<" + txn_.sender +
                         "> rejected after DATA: bare CR or LF in message data");
    reply(550, "5.6.0 Bare CR or LF in message data is not allowed");
    reset_transaction();
    return;
  }
  if (controls_.submission) submission_fixups();
  vars_->set("message_exim_id", txn_.message_id);
  vars_->set("message_id", txn_.message_id);
  if (txn_.recipients.size() == 1) vars_->set("received_for", txn_.recipients[0].address);
  txn_.received = received_header();
  AclOutcome r;
  if (!txn_.recipients.empty() && !txn_.discard) r = run_acl(AclWhere::Data);
  if (r.verdict != lang::AclVerdict::Accept && r.verdict != lang::AclVerdict::Discard) {
    acl_refusal(AclWhere::Data, r);
    reset_transaction();
    return;
  }
  if (r.verdict == lang::AclVerdict::Discard) {
    txn_.discard = true;
    txn_.discarded_by = "DATA";
    txn_.discard_log = r.log_message;
  }
  fill_origin();
  finish_message(true);
}

// control = submission (spec 48.1 and the From:, Sender:, Message-ID:, Date: sections), before
// the DATA ACL as in Exim: Message-Id:, From: (the envelope sender, else the authenticated
// address), Sender: and Date: appended in that order when missing. With an authenticated
// client and no sender_retain, Sender: lines are dropped, a Sender: with the authenticated
// address is added when From: names another, and a non-null envelope sender becomes that
// address. Checked against exim4 -bh.
void Session::submission_fixups() {
  const Controls& c = controls_;
  size_t end = std::min(txn_.header_end, txn_.data.size());
  std::vector<std::string> lines = split_headers(std::string_view(txn_.data).substr(0, end));
  auto has = [&](std::string_view name) { return has_header(lines, name); };
  std::string auth;
  vars_->get("authenticated_id", auth);
  std::string created;
  if (!auth.empty()) {
    if (!c.submission_domain)
      created = auth + "@" + option("qualify_domain");
    else
      created = c.submission_domain->empty() ? auth : auth + "@" + *c.submission_domain;
  }
  auto with_name = [&](const std::string& a) {
    return c.submission_name.empty() ? a : c.submission_name + " <" + a + ">";
  };
  bool sender_rules = !c.submission_retain && !created.empty();
  if (sender_rules) {
    std::vector<std::string> kept;
    for (auto& h : lines)
      if (!header_is(h, "Sender")) kept.push_back(std::move(h));
    lines = std::move(kept);
  }
  std::string add;
  if (!has("Message-ID") && !has("Resent-Message-ID"))
    add += "Message-Id: <E" + txn_.message_id + "@" + primary_hostname(&cfg_) + ">\n";
  std::string from_address;
  auto from = std::find_if(lines.begin(), lines.end(),
                           [](const std::string& h) { return header_is(h, "From"); });
  if (from != lines.end()) {
    std::string_view value = std::string_view(*from).substr(5);  // after "From:"
    if (auto p = parse_path(util::trim(value.substr(0, value.find(','))), {}))
      from_address = p->address();
  } else if (!txn_.sender.empty()) {
    add += "From: " + txn_.sender + "\n";
    from_address = txn_.sender;
  } else if (!created.empty()) {
    add += "From: " + with_name(created) + "\n";
    from_address = created;
  }
  if (sender_rules) {
    if (!util::iequals(from_address, created)) add += "Sender: " + with_name(created) + "\n";
    if (!txn_.sender.empty()) txn_.sender = created;
  }
  if (!has("Date")) {
    std::string date;
    vars_->get("tod_full", date);
    add += "Date: " + date + "\n";
  }
  std::string headers;
  for (const auto& h : lines) headers += h;
  headers += add;
  std::string rest = txn_.data.substr(end);
  int64_t delta = static_cast<int64_t>(headers.size()) - static_cast<int64_t>(end);
  txn_.data = headers + rest;
  txn_.header_end = headers.size();
  txn_.size = static_cast<uint64_t>(static_cast<int64_t>(txn_.size) + delta);
  txn_.lines = util::count_byte(txn_.data, '\n');
  vars_->set("sender_address", txn_.sender);
  vars_->set("message_size", std::to_string(txn_.size));
  vars_->set("message_linecount", std::to_string(txn_.lines));
}

// What the spool records about where the message came from, and the ACL variables.
void Session::fill_origin() {
  MessageOrigin& o = txn_.origin;
  o.client_address = settings_.client_address;
  o.client_port = settings_.client_port;
  o.helo_name = helo_name_;
  vars_->get("received_protocol", o.received_protocol);
  o.local_user = settings_.local_user;
  o.primary_hostname = primary_hostname(&cfg_);
  o.local = settings_.local_smtp;
  o.authenticator = authenticated_by_;
  o.auth_id.clear();
  vars_->get("authenticated_id", o.auth_id);
  o.tls_cipher.clear();
  o.tls_peerdn.clear();
  if (tls_active_) {
    vars_->get("tls_in_cipher", o.tls_cipher);
    vars_->get("tls_in_peerdn", o.tls_peerdn);
    std::string v;
    o.tls_verified = vars_->get("tls_in_certificate_verified", v) && v == "1";
  }
  txn_.acl_vars.clear();
  for (const auto& [k, v] : ctx_.acl_vars) txn_.acl_vars[k] = v;
}

// Stores the message (unless testing or discarded) and gives the final reply. With an
// asynchronous store the reply waits for store_finished().
void Session::finish_message(bool) {
  std::string id = txn_.message_id;
  if (controls_.fakereject) {
    reply(550,
          "Your message has been rejected but is being kept for evaluation.\n"
          "If it was a legitimate message, it may still be delivered to the target\n"
          "recipient(s).");
  } else if (settings_.host_checking) {
    reply(250, "OK id=" + id);
    out_ += "\n**** SMTP testing: that is not a real message id!\n\n";  // LF only, as Exim
  } else {
    if (!txn_.discard && !txn_.recipients.empty()) {
      if (services_.store_message_async(txn_, id)) {
        store_pending_ = true;
        return;
      }
      std::string err;
      bool ok = services_.store_message(txn_, id, err);
      complete_message(ok, err);
      return;
    }
    reply(250, "OK id=" + id);
  }
  log_arrival();
}

void Session::store_finished(bool ok, const std::string& error) {
  if (!store_pending_) return;
  store_pending_ = false;
  complete_message(ok, error);
  process();  // commands pipelined after the data
}

void Session::complete_message(bool ok, const std::string& err) {
  if (!ok) {
    services_.log("temporarily rejected message from <" + txn_.sender + ">: " + err);
    reply(451, "Temporary local problem - please try later");
    reset_transaction();
    return;
  }
  reply(250, "OK id=" + txn_.message_id);
  log_arrival();
}

// The message's size as the spool holds it (Exim's S=): its headers, with the Received:
// header and those the ACLs added, the blank line and the body.
size_t Session::stored_size() const {
  SpoolMessage m = build_spool_message(txn_, txn_.message_id);
  // + 1: Exim counts the line that ends the headers, even when the message has no body.
  return static_cast<size_t>(m.header_size()) + transaction_body(txn_).size() + 1;
}

// "ID <= sender H=... P=esmtp [A=auth:id] S=size" ("(=" for a fake rejection), then for a
// message whose recipients were all discarded the blackhole delivery Exim logs for it.
void Session::log_arrival() {
  std::string id = txn_.message_id;
  std::string proto;
  vars_->get("received_protocol", proto);
  std::string auth;  // A=authenticator:id (spec 53, "Logging message reception")
  if (!authenticated_by_.empty()) {
    std::string who;
    vars_->get("authenticated_id", who);
    auth = " A=" + authenticated_by_ + (who.empty() ? "" : ":" + who);
  }
  services_.log(id + (controls_.fakereject ? " (= " : " <= ") +
                (txn_.sender.empty() ? "<>" : txn_.sender) + " " + host_id() + " P=" + proto +
                auth + " S=" + std::to_string(stored_size()));
  if ((txn_.discard || txn_.recipients.empty()) && !txn_.discarded_by.empty()) {
    services_.log(id + " => blackhole (" + txn_.discarded_by + " ACL discarded recipients)" +
                  (txn_.discard_log.empty() ? "" : ": " + txn_.discard_log));
    services_.log(id + " Completed");
  }
  ++messages_;
  free_rset_ = free_helo_ = free_starttls_ = true;
  reset_transaction();
}

}  // namespace engine::smtp

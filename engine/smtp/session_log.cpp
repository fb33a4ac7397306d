// engine/smtp/session_log.cpp — the session's log lines, in Exim 4.96's words (spec chapter
// 53, "Log files"): ACL refusals for each verb, syntax and protocol errors (only with
// +smtp_syntax_error / +smtp_protocol_error, which are off by default), dropped connections
// with the command history, lost connections. With -bh they appear on stderr as "LOG: ...".
#include <chrono>

#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "util/strings.h"

namespace engine::smtp {
namespace {

constexpr size_t kHistoryMax = 20;  // commands remembered for "C=..."

std::string first_line(std::string_view s) {
  return std::string(s.substr(0, s.find('\n')));
}

std::string first_word(std::string_view s) {
  return std::string(s.substr(0, s.find_first_of(" \t")));
}

// Seconds as Exim prints a time interval: "0s", "45s", "2m5s", "1h", "1d3h" ...
std::string time_interval(long long secs) {
  static constexpr std::pair<long long, char> kUnits[] = {
      {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  if (secs <= 0) return "0s";
  std::string out;
  for (const auto& [size, unit] : kUnits) {
    if (secs < size) continue;
    out += std::to_string(secs / size) + unit;
    secs %= size;
  }
  return out;
}

}  // namespace

// "H=name (helo) [ip]" ($sender_fullhost, engine/smtp/client_name.h) as Exim writes the
// client in log lines; "U=user" without a host.
std::string Session::host_id() const {
  if (settings_.client_address.empty()) {
    return "U=" + (settings_.local_user.empty() ? std::string("local") : settings_.local_user);
  }
  return "H=" + full_host();
}

// Exim's host_and_ident(FALSE): $sender_fullhost without the "H=".
std::string Session::full_host() const {
  if (settings_.client_address.empty()) return host_id();
  std::string full;
  vars_->get("sender_fullhost", full);
  return full.empty() ? "[" + settings_.client_address + "]" : full;
}

// The rejectlog/mainlog line for an ACL refusal: what was refused in Exim's words for each
// verb, then the statement's log_message or the first line of the client's message.
void Session::log_refusal(AclWhere where, const AclOutcome& r) {
  const bool temp = r.verdict == lang::AclVerdict::Defer || r.verdict == lang::AclVerdict::Error;
  std::string text = first_line(r.log_message.empty() ? r.message : r.log_message);
  std::string arg, current, head = host_id() + " ", what;
  vars_->get("smtp_command_argument", arg);
  vars_->get("sender_address", current);
  switch (where) {
    case AclWhere::Connect:
      what = "connection in \"connect\" ACL";
      break;
    case AclWhere::Helo:
      vars_->get("sender_helo_name", current);
      what = "EHLO or HELO " + util::to_lower(current);
      break;
    case AclWhere::Mail:
      what = "MAIL <" + current + ">";
      break;
    case AclWhere::Rcpt: {
      std::string id;
      head += "F=<" + txn_.sender + "> ";
      if (!authenticated_by_.empty()) {
        vars_->get("authenticated_id", id);
        head += "A=" + authenticated_by_ + (id.empty() ? "" : ":" + id) + " ";
      }
      what = "RCPT <" + rcpt_given_ + ">";
      break;
    }
    case AclWhere::Predata:
      what = "DATA";
      break;
    case AclWhere::Data:
      head = txn_.message_id + " " + head + "F=<" + txn_.sender + "> ";
      what = "after DATA";
      break;
    case AclWhere::Auth:
      what = "AUTH " + first_word(arg);
      break;
    case AclWhere::MailAuth:
      what = "MAILAUTH " + txn_.auth_param.first;
      break;
    default:  // VRFY, EXPN, ETRN, STARTTLS ...: the verb and its argument
      what = util::to_upper(std::string(acl_option_name(where)).substr(9));
      if (!arg.empty()) what += " " + arg;
  }
  services_.log_reject(head + (temp ? "temporarily rejected " : "rejected ") + what +
                       (text.empty() ? "" : ": " + text));
}

// "SMTP syntax error in "FOO" H=... unrecognized command", when the selector asks for it.
void Session::log_synprot(int code, std::string_view text) {
  const bool syntax = code == 500 || code == 501;
  if (!log_selector_.on(syntax ? LogItem::SmtpSyntaxError : LogItem::SmtpProtocolError)) return;
  std::string command;
  vars_->get("smtp_command", command);
  // AUTH data is a password in base64: the log gets the mechanism only.
  if (size_t sp = command.find(' ', 5);
      util::starts_with_ci(command, "AUTH ") && sp != std::string::npos) {
    command = command.substr(0, sp) + " ****";
  }
  services_.log((syntax ? "SMTP syntax error in \"" : "SMTP protocol error in \"") + command +
                "\" " + host_id() + " " + std::string(first_line(text)));
}

// "SMTP call from (helo) [ip] dropped: WHY (last was "VERB")", or with the whole last command
// and the command history ("C=EHLO,MAIL,...").
void Session::log_dropped(std::string_view why, bool with_history) {
  std::string command;
  vars_->get("smtp_command", command);
  std::string line = "SMTP call from " + full_host() + " dropped: " + std::string(why);
  if (!with_history) {
    services_.log_reject(line + " (last was \"" + first_word(command) + "\")");
    return;
  }
  std::string history;
  for (std::string_view v : history_) history += (history.empty() ? "" : ",") + std::string(v);
  services_.log_reject(line + " (last command was \"" + command + "\",  C=" + history + ")");
}

// The client went away between commands of a transaction (lost_incoming_connection).
void Session::log_lost_connection() {
  // Exim says so only when a transaction was under way.
  if (!txn_.mail_given || !log_selector_.on(LogItem::LostIncomingConnection)) return;
  auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
          .count();
  services_.log("unexpected disconnection while reading SMTP command from " + full_host() +
                " D=" + time_interval(secs));
}

void Session::note_command(Verb v) {
  if (v >= Verb::Unknown) return;
  if (history_.size() == kHistoryMax) history_.erase(history_.begin());
  history_.push_back(verb_name(v));
}

}  // namespace engine::smtp

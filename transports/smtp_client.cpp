// transports/smtp_client.cpp — SMTP/LMTP replies, capabilities and transactions.
#include "transports/smtp_client.h"

#include <cctype>

#include "lang/operators/escape.h"
#include "util/strings.h"

namespace transports {
namespace {

bool three_digits(std::string_view l) {
  return l.size() >= 3 && std::isdigit(static_cast<unsigned char>(l[0])) &&
         std::isdigit(static_cast<unsigned char>(l[1])) &&
         std::isdigit(static_cast<unsigned char>(l[2]));
}

// The offending line goes into logs and bounces: cut to 256 bytes, non-printing bytes escaped.
util::IoError malformed(std::string_view line) {
  std::string shown = lang::escape_printing(line.substr(0, 256));
  if (line.size() > 256) shown += "...";
  return util::IoError{util::IoErrorKind::Other, 0, "malformed SMTP reply: \"" + shown + "\""};
}

template <class T>
const util::IoError* io_error(const util::IoResult<T>& r) {
  return std::get_if<util::IoError>(&r);
}

}  // namespace

std::string SmtpReply::text() const {
  std::string out;
  for (const std::string& l : lines) out += (out.empty() ? "" : "\n") + lang::escape_printing(l);
  return out;
}

SmtpCapabilities parse_capabilities(const SmtpReply& ehlo) {
  SmtpCapabilities c;
  c.esmtp = ehlo.ok();
  for (size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::string_view l = ehlo.lines[i];
    l.remove_prefix(std::min<size_t>(4, l.size()));
    std::string word = util::to_upper(l.substr(0, l.find(' ')));
    std::string_view rest = l.find(' ') == std::string_view::npos ? "" : l.substr(l.find(' ') + 1);
    if (word == "PIPELINING")
      c.pipelining = true;
    else if (word == "STARTTLS")
      c.starttls = true;
    else if (word == "8BITMIME")
      c.eightbitmime = true;
    else if (word == "CHUNKING")
      c.chunking = true;
    else if (word == "DSN")
      c.dsn = true;
    else if (word == "SMTPUTF8")
      c.smtputf8 = true;
    else if (word == "IGNOREQUOTA")
      c.ignorequota = true;
    else if (word == "SIZE") {
      c.size = true;
      c.size_max = std::atoll(std::string(rest).c_str());
    } else if (word == "AUTH") {
      std::string mech;
      for (char ch : rest) {
        if (ch == ' ') {
          if (!mech.empty()) c.auth.push_back(util::to_upper(mech));
          mech.clear();
        } else {
          mech += ch;
        }
      }
      if (!mech.empty()) c.auth.push_back(util::to_upper(mech));
    }
  }
  return c;
}

util::IoResult<SmtpReply> SmtpConversation::read_reply(int timeout_seconds) {
  SmtpReply r;
  while (true) {
    auto line = s_.read_line(timeout_seconds);
    if (auto* e = io_error(line)) return *e;
    std::string& l = std::get<std::string>(line);
    if (debug_) debug_("  SMTP<< " + l);
    if (!three_digits(l) || (l.size() > 3 && l[3] != ' ' && l[3] != '-')) return malformed(l);
    if (l.size() >= util::LineStream::kMaxLine - 1) return malformed(l);  // cut: too long
    int code = std::stoi(l.substr(0, 3));
    if (r.code != 0 && code != r.code) return malformed(l);
    r.code = code;
    bool more = l.size() > 3 && l[3] == '-';
    r.lines.push_back(std::move(l));
    if (!more) return r;
    if (r.lines.size() > 1000) return malformed("too many lines");
  }
}

std::optional<util::IoError> SmtpConversation::send(const std::string& line, bool secret) {
  if (debug_) {
    std::string shown = secret ? line.substr(0, line.find(' ')) + " ****" : line;
    size_t pos = 0;  // one debug line per command of a pipelined burst
    while (pos < shown.size()) {
      size_t eol = shown.find("\r\n", pos);
      if (eol == std::string::npos) eol = shown.size();
      debug_("  SMTP>> " + shown.substr(pos, eol - pos));
      pos = eol + 2;
    }
  }
  std::string data = line;
  if (!data.ends_with("\r\n")) data += "\r\n";
  return s_.write(data, t_.command);
}

util::IoResult<SmtpReply> SmtpConversation::exchange(const std::string& line, bool secret) {
  if (auto e = send(line, secret)) return *e;
  return read_reply();
}

authenticators::ClientReply SmtpConversation::command(std::string_view line) {
  auto r = exchange(std::string(line), secret_);
  authenticators::ClientReply out;
  if (auto* e = io_error(r)) {
    out.text = e->message;
    return out;
  }
  const SmtpReply& rep = std::get<SmtpReply>(r);
  out.code = rep.code;
  for (const std::string& l : rep.lines)
    out.text += (out.text.empty() ? "" : "\n") + l.substr(std::min<size_t>(4, l.size()));
  return out;
}

namespace {

using Stage = SmtpTransactionResult::Stage;

SmtpTransactionResult& broken(SmtpTransactionResult& r, const util::IoError& e, Stage stage,
                              std::string command) {
  r.io = e;
  r.stage = stage;
  r.io_command = std::move(command);
  return r;
}

// Reads the replies to MAIL, the RCPTs and (when sent) DATA.
bool read_envelope_replies(SmtpConversation& c, const SmtpTransaction& t, bool data_sent,
                           SmtpTransactionResult& r) {
  auto m = c.read_reply();
  if (auto* e = io_error(m)) return broken(r, *e, Stage::Mail, t.mail), false;
  r.mail = std::get<SmtpReply>(m);
  for (size_t i = 0; i < t.rcpts.size(); ++i) {
    auto rr = c.read_reply();
    if (auto* e = io_error(rr)) return broken(r, *e, Stage::Rcpt, t.rcpts[i]), false;
    r.rcpt[i] = std::get<SmtpReply>(rr);
    if (r.mail.ok() && r.rcpt[i].ok()) ++r.accepted;
  }
  if (!data_sent) return true;
  auto d = c.read_reply();
  if (auto* e = io_error(d)) return broken(r, *e, Stage::Data, "DATA"), false;
  r.data = std::get<SmtpReply>(d);
  return true;
}

// Sends the envelope, one command at a time.
bool send_envelope_in_turn(SmtpConversation& c, const SmtpTransaction& t,
                           SmtpTransactionResult& r) {
  auto m = c.exchange(t.mail);
  if (auto* e = io_error(m)) return broken(r, *e, Stage::Mail, t.mail), false;
  r.mail = std::get<SmtpReply>(m);
  if (!r.mail.ok()) return false;
  for (size_t i = 0; i < t.rcpts.size(); ++i) {
    auto rr = c.exchange(t.rcpts[i]);
    if (auto* e = io_error(rr)) return broken(r, *e, Stage::Rcpt, t.rcpts[i]), false;
    r.rcpt[i] = std::get<SmtpReply>(rr);
    if (r.rcpt[i].ok()) ++r.accepted;
  }
  r.stage = Stage::Data;
  if (r.accepted == 0) return false;
  auto d = c.exchange("DATA");
  if (auto* e = io_error(d)) return broken(r, *e, Stage::Data, "DATA"), false;
  r.data = std::get<SmtpReply>(d);
  return true;
}

bool send_body(SmtpConversation& c, const SmtpTransaction& t, SmtpTransactionResult& r) {
  r.stage = Stage::Body;
  std::optional<util::IoError> werr;
  Sink sink = [&](std::string_view chunk) {
    werr = c.stream().write(chunk, c.timeouts().data);
    return !werr.has_value();
  };
  auto produced = t.write_message(sink);
  if (werr) return broken(r, *werr, Stage::Body, "end of data"), false;
  if (!produced) {
    r.producer_error = produced.error().message;
    // The server must not take a partial message: drop the connection (the caller closes it).
    return broken(r, util::IoError{util::IoErrorKind::Other, 0, r.producer_error}, Stage::Body,
                  "end of data"),
           false;
  }
  if (auto e = c.stream().write(".\r\n", c.timeouts().data))
    return broken(r, *e, Stage::Body, "end of data"), false;
  r.stage = Stage::Final;
  int replies = t.lmtp ? r.accepted : 1;
  for (int i = 0; i < replies; ++i) {
    auto f = c.read_reply(c.timeouts().final);
    if (auto* e = io_error(f)) return broken(r, *e, Stage::Final, "end of data"), false;
    r.final.push_back(std::get<SmtpReply>(f));
  }
  r.stage = Stage::Done;
  return true;
}

}  // namespace

SmtpTransactionResult smtp_run_transaction(SmtpConversation& c, const SmtpTransaction& t) {
  SmtpTransactionResult r;
  r.rcpt.resize(t.rcpts.size());
  if (t.pipelining) {
    std::string burst = t.mail + "\r\n";
    for (const std::string& rc : t.rcpts) burst += rc + "\r\n";
    burst += "DATA";
    if (auto e = c.send(burst)) return broken(r, *e, Stage::Mail, t.mail);
    if (!read_envelope_replies(c, t, true, r)) return r;
    r.stage = r.mail.ok() ? Stage::Data : Stage::Mail;
    if (r.data.code == 354 && (r.accepted == 0 || !r.mail.ok())) {
      // Nobody to send to, but the server wants data: give it an empty message.
      auto ignored = c.exchange(".");
      (void)ignored;
      return r;
    }
    if (!r.mail.ok() || r.accepted == 0 || r.data.code != 354) return r;
  } else if (!send_envelope_in_turn(c, t, r) || r.data.code != 354) {
    return r;
  }
  send_body(c, t, r);
  return r;
}

WriteOptions smtp_write_options(bool headers_only, bool body_only) {
  WriteOptions wo{"", "", ".", "..", true, headers_only, body_only, true};
  return wo;
}

std::string smtp_error_text(std::string_view after, const SmtpReply& r, bool lmtp) {
  return (lmtp ? "LMTP error after " : "SMTP error from remote mail server after ") +
         std::string(after) + ": " + r.text();
}

std::string smtp_io_error_text(const util::IoError& e, std::string_view after) {
  switch (e.kind) {
    case util::IoErrorKind::Timeout:
      return "SMTP timeout after " + std::string(after);
    case util::IoErrorKind::Closed:
      return "Remote host closed connection in response to " + std::string(after);
    default:
      return e.message + " (after " + std::string(after) + ")";
  }
}

namespace {

AddressResult reply_result(const SmtpReply& rep, std::string_view after, bool lmtp,
                           ErrorKind kind4xx, RetryScope scope4xx) {
  AddressResult r;
  r.smtp_code = rep.code;
  r.message = smtp_error_text(after, rep, lmtp);
  if (rep.permanent()) {
    r.outcome = Outcome::Fail;
  } else {
    r.outcome = Outcome::Defer;
    r.error = kind4xx;
    r.retry = scope4xx;
  }
  return r;
}

AddressResult io_result(const SmtpTransactionResult& tr) {
  AddressResult r;
  r.outcome = Outcome::Defer;
  r.message = smtp_io_error_text(*tr.io, tr.io_command);
  r.errno_value = tr.io->err;
  r.error =
      tr.io->kind == util::IoErrorKind::Timeout ? ErrorKind::Timeout : ErrorKind::LostConnection;
  r.retry = RetryScope::Host;
  if (!tr.producer_error.empty()) {
    r.message = tr.producer_error;
    r.error = ErrorKind::Other;
    r.retry = RetryScope::None;
  }
  return r;
}

}  // namespace

void smtp_assign_results(const SmtpTransaction& t, const SmtpTransactionResult& r,
                         const std::string& host, std::vector<AddressResult>& results) {
  results.assign(t.rcpts.size(), AddressResult{});
  std::vector<bool> decided(t.rcpts.size(), false);
  auto set = [&](size_t i, AddressResult a) {
    a.host = host;
    results[i] = std::move(a);
    decided[i] = true;
  };
  if (!r.io || r.stage != Stage::Mail) {
    if (r.mail.code != 0 && !r.mail.ok()) {
      for (size_t i = 0; i < t.rcpts.size(); ++i)
        set(i, reply_result(r.mail, t.mail, t.lmtp, ErrorKind::Mail4xx, RetryScope::Message));
    } else {
      for (size_t i = 0; i < t.rcpts.size(); ++i)
        if (r.rcpt[i].code != 0 && !r.rcpt[i].ok())
          set(i,
              reply_result(r.rcpt[i], t.rcpts[i], t.lmtp, ErrorKind::Rcpt4xx, RetryScope::Address));
    }
  }
  // The accepted recipients, in order, and what became of the message for them.
  size_t nth = 0;
  for (size_t i = 0; i < t.rcpts.size(); ++i) {
    if (decided[i] || !r.rcpt[i].ok()) continue;
    size_t k = nth++;
    if (r.data.code != 0 && r.data.code != 354) {
      set(i, reply_result(r.data, "DATA", t.lmtp, ErrorKind::Data4xx, RetryScope::Message));
    } else if (r.stage == Stage::Done || k < r.final.size()) {
      const SmtpReply& f = t.lmtp ? r.final[k] : r.final.front();
      if (f.ok()) {
        AddressResult ok;
        ok.outcome = Outcome::Ok;
        ok.smtp_code = f.code;
        ok.confirmation = f.text();
        set(i, std::move(ok));
      } else {
        set(i, reply_result(f, "end of data", t.lmtp, ErrorKind::Data4xx, RetryScope::Message));
      }
    }
  }
  for (size_t i = 0; i < t.rcpts.size(); ++i) {
    if (decided[i]) continue;
    set(i, r.io ? io_result(r) : AddressResult{});
    if (!r.io) {
      results[i].outcome = Outcome::Defer;
      results[i].message = "no reply for " + t.rcpts[i];
    }
  }
}

}  // namespace transports

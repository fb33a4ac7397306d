// transports/smtp_client.h — the client side of SMTP (RFC 5321) and LMTP (RFC 2033) as the
// smtp and lmtp transports speak it: multi-line replies, EHLO/LHLO capabilities, and one mail
// transaction — MAIL, RCPT for each recipient, DATA and the message — sent in one burst when
// the server offers PIPELINING (RFC 2920), with one final reply per accepted recipient for
// LMTP. Errors are described in Exim's words for logs and bounces ("SMTP error from remote mail
// server after RCPT TO:<x>: 550 ...", "SMTP timeout after MAIL FROM:<y>", "Remote host closed
// connection in response to DATA").
//
// Contract: every read and write has a timeout (command_timeout for replies, data_timeout
// for each block of the message, final_timeout for the reply to the final dot). The message
// producer writes the message with CRLF line ends and dot-stuffing; the client adds the
// terminating ".". A malformed reply counts as a protocol error (like a temporary one):
// a line without a three-digit code, a code that changes inside a multi-line reply, more than
// 1000 lines, or a line of 64 KiB (LineStream's cut); its text is shown cut and escaped.
// Failure: an I/O error ends the transaction; which command it happened in is recorded so the
// caller can tell a host problem from a message problem.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "authenticators/authenticator.h"
#include "transports/message_writer.h"
#include "transports/transport.h"
#include "util/line_stream.h"

namespace transports {

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // as received, code included ("250-PIPELINING")
  bool ok() const { return code >= 200 && code < 300; }
  bool temporary() const { return code >= 400 && code < 500; }
  bool permanent() const { return code >= 500; }
  // The lines joined by "\n", non-printing bytes escaped (\0 is \000): for logs and bounces.
  std::string text() const;
};

struct SmtpCapabilities {
  bool esmtp = false, pipelining = false, starttls = false, size = false, eightbitmime = false;
  bool chunking = false, dsn = false, smtputf8 = false, ignorequota = false;
  int64_t size_max = 0;
  std::vector<std::string> auth;  // mechanisms, upper case
};
SmtpCapabilities parse_capabilities(const SmtpReply& ehlo);

struct SmtpTimeouts {
  int command = 300, data = 300, final = 600;
};

class SmtpConversation : public authenticators::ClientChannel {
 public:
  SmtpConversation(util::LineStream& s, SmtpTimeouts t, std::function<void(std::string_view)> debug)
      : s_(s), t_(t), debug_(std::move(debug)) {}

  util::IoResult<SmtpReply> read_reply(int timeout_seconds);
  util::IoResult<SmtpReply> read_reply() { return read_reply(t_.command); }
  std::optional<util::IoError> send(const std::string& line, bool secret = false);
  util::IoResult<SmtpReply> exchange(const std::string& line, bool secret = false);
  // authenticators::ClientChannel: AUTH dialogues (their lines are hidden in debug output
  // while `secret()` is on).
  authenticators::ClientReply command(std::string_view line) override;
  void set_secret(bool on) { secret_ = on; }

  util::LineStream& stream() { return s_; }
  const SmtpTimeouts& timeouts() const { return t_; }

 private:
  util::LineStream& s_;
  SmtpTimeouts t_;
  std::function<void(std::string_view)> debug_;
  bool secret_ = false;
};

// One transaction.
struct SmtpTransaction {
  std::string mail;                // "MAIL FROM:<a@b> SIZE=123"
  std::vector<std::string> rcpts;  // "RCPT TO:<x@y>"
  bool pipelining = false;
  bool lmtp = false;
  // Writes the message (CRLF, dot-stuffed, ending with a line end) to the sink.
  std::function<util::Result<int64_t>(const Sink&)> write_message;
};

struct SmtpTransactionResult {
  enum class Stage : unsigned char { Mail, Rcpt, Data, Body, Final, Done };
  Stage stage = Stage::Mail;        // how far it got
  std::optional<util::IoError> io;  // the connection failed at `stage`
  std::string io_command;           // the command being answered when it failed
  SmtpReply mail, data;
  std::vector<SmtpReply> rcpt;   // one per rcpt line (code 0: not answered)
  std::vector<SmtpReply> final;  // SMTP: one; LMTP: one per accepted recipient
  std::string producer_error;    // the message could not be read from the spool
  int accepted = 0;              // recipients accepted at RCPT
};

SmtpTransactionResult smtp_run_transaction(SmtpConversation& c, const SmtpTransaction& t);

// How SMTP and LMTP send a message: CRLF line ends, dot-stuffing, a final line end.
WriteOptions smtp_write_options(bool headers_only, bool body_only);

// Exim's texts: "SMTP error from remote mail server after CMD: REPLY" ("LMTP error after ..."),
// "SMTP timeout after CMD", "Remote host closed connection in response to CMD".
std::string smtp_error_text(std::string_view after, const SmtpReply& r, bool lmtp = false);
std::string smtp_io_error_text(const util::IoError& e, std::string_view after);

// Turns a transaction's outcome into one result per recipient line of `t` (results[i] for
// t.rcpts[i]): 2xx ok, 4xx defer, 5xx fail, at the step that decided; a broken connection
// defers whoever was not decided yet. `host` goes into each result.
void smtp_assign_results(const SmtpTransaction& t, const SmtpTransactionResult& r,
                         const std::string& host, std::vector<AddressResult>& results);

}  // namespace transports

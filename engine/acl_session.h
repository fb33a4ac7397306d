// engine/acl_session.h — what the ACL conditions and modifiers that need an SMTP session
// (hosts, authenticated, encrypted, verify, control, add_header, delay ...) may ask of it or
// change in it. The session implements SessionHooks and hands it to the Evaluator
// (Evaluator::set_session); outside a session it is null and those items behave as Exim's
// do with no session: a host test sees no remote host, verify fails, controls are ignored.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lang/match/hostlist.h"

namespace engine::acl {

enum class VerifyOutcome : unsigned char { Ok, Fail, Defer };

// The rates the ratelimit condition has computed in a session, by its key: Exim computes a
// per_conn rate once a connection, per_mail and per_byte once a message, per_rcpt once a
// command. The session empties `mail` at each new message and `cmd` at each command.
struct RateCache {
  std::map<std::string, double, std::less<>> conn, mail, cmd;
};

class SessionHooks {
 public:
  virtual ~SessionHooks() = default;
  // "connect", "helo", "mail", "rcpt", "predata", "data", "quit", "notquit", "vrfy",
  // "expn", "etrn", "starttls", "auth".
  virtual std::string_view where() const = 0;
  virtual std::string client_address() const = 0;         // "" for a local client
  virtual std::string client_name() const { return ""; }  // verified host name, if known
  // How host lists find the client's verified name when they need it (null: look it up
  // without remembering it).
  virtual lang::HostNameSource* host_names() { return nullptr; }
  // verify = reverse_host_lookup (spec 44.26): Ok when the client has a verified name (looked
  // up now if needed) or is local; otherwise Fail or Defer with Exim's log text in `log`.
  virtual VerifyOutcome verify_reverse(std::string& log) {
    (void)log;
    return VerifyOutcome::Ok;
  }
  // control = name[/options]; false with `error` for an unknown or misplaced control.
  virtual bool control(std::string_view name, std::string_view options, std::string& error) = 0;
  virtual void add_header(std::string text) = 0;
  virtual void remove_header(std::string names) = 0;
  // Whether delay = ... should really wait (not in -bh).
  virtual bool delays_allowed() const { return true; }
  // Takes a delay without blocking (an event-loop transport holds the session's replies for
  // that long instead); false: the caller waits.
  virtual bool delay_async(long long seconds) {
    (void)seconds;
    return false;
  }
  // verify = helo / recipient / sender / header_syntax / not_blind / header_sender ...;
  // `message` receives the reason of a failure, `log` its text for the log line when that
  // differs (a callout's "h [ip] : SMTP error ..."; "" otherwise).
  virtual VerifyOutcome verify(std::string_view what, std::string_view options,
                               std::string& message, std::string& log) = 0;
  // The recipients accepted so far; the whole message, header lines (Received: first), a
  // blank line and the body, as `regex` reads it in the DATA ACL; the spool directory.
  virtual std::vector<std::string> recipients() const = 0;
  virtual std::string message_text() const { return ""; }
  virtual std::string spool_directory() const { return ""; }
  // The authenticator that authenticated the client ("" if none).
  virtual std::string authenticated_by() const { return ""; }
  // The recipient's local part as the client wrote it (the `local_parts` condition matches it
  // caselessly, as Exim does); "" outside RCPT.
  virtual std::string local_part_as_given() const { return ""; }
  // The session's ratelimit cache (null: none, every condition reads the database).
  virtual RateCache* rate_cache() { return nullptr; }
  // The client as log lines name it ("H=(helo) [ip]", "U=user"), for warn's log lines.
  virtual std::string host_and_ident() const { return ""; }
};

}  // namespace engine::acl

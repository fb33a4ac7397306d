// engine/callout.h — callout verification (spec 44.46 "Callout verification", 44.47
// "Additional parameters for callouts"): after `verify = recipient/callout` or
// `verify = sender/callout` has routed an address to remote hosts, ask those hosts over SMTP
// whether they would take it (MAIL FROM:<>, RCPT TO:<address>, QUIT).
//
// parse_callout_options() reads "callout" or "callout=10s,defer_ok,use_sender,...".
// run_callout() tries the routed address's hosts in order (the smtp transport's `hosts` when
// the router gave none, or always with hosts_override) (the transport's port, the
// transport's helo_data or the primary host name): a 2xx reply to RCPT verifies, a 5xx reply
// (or a 5xx refusal of the connection, HELO or MAIL) fails, anything else moves on to the
// next host, until maxwait has passed; when no host answered, the callout defers (or
// succeeds with defer_ok). `random` first tries a local part no host should accept (an
// accepting host verifies everything); `postmaster` / `fullpostmaster` check
// postmaster@domain (then "postmaster") after a success. Each check is its own connection.
// The messages are Exim's: for the log "h [ip] : SMTP error from remote mail server after
// RCPT TO:<a>: 550 ..." or "h [ip] : response to \"MAIL FROM:<>\" was: 550 ...", for the
// client "Callout verification failed:\n550 ..." (recipients) or the "Called: / Sent: /
// Response:" lines (senders), "Could not complete recipient verify callout" when deferring.
// Results go to the "callout" hints database (engine/callout_cache.h) unless no_cache; a
// cached failure reads "Previous (cached) callout verification failure" (address record)
// or "(result of an earlier callout reused)." (domain record).
//
// The SMTP conversation itself belongs to the smtp transport family: transports/ registers a
// CalloutClient at start-up (set_callout_client), so the engine does not depend on it; tests
// may install their own.
//
// Failure: nothing throws; an unknown parameter is a configuration-style error text from
// parse_callout_options(), which the ACL reports as a deferral.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/address.h"
#include "engine/callout_cache.h"
#include "routers/router.h"

namespace engine {

struct CalloutOptions {
  int timeout = 30;             // seconds for each reply
  int connect = -1;             // seconds for the connection; -1: `timeout`
  int maxwait = -1;             // seconds before giving up on further hosts; -1: 4 x timeout
  bool defer_ok = false;        // a callout that cannot complete counts as success
  bool no_cache = false;        // the callout cache is neither read nor written
  bool use_sender = false;      // recipients: the message's sender in MAIL
  bool use_postmaster = false;  // recipients: postmaster@qualify_domain in MAIL
  bool random = false, fullpostmaster = false, hold = false;
  std::optional<std::string> mailfrom;
  std::optional<std::string> postmaster_mailfrom;  // set: the postmaster check is made
};

// Parses the text after "callout" ("", "=10s,defer_ok" ...); "" on success, else the error.
std::string parse_callout_options(std::string_view text, CalloutOptions& out);

// One SMTP probe of one host: what the conversation came to.
struct CalloutProbe {
  enum class Result : unsigned char { Accepted, Rejected, Failed } result = Result::Failed;
  std::string sent;      // the command answered last ("RCPT TO:<a@b>")
  std::string response;  // its reply ("550 5.1.1 <a@b>: no such user"), lines joined by "\n"
  std::string error;     // Failed and Rejected: Exim's text for the log
  bool at_rcpt = false;  // Rejected: by the RCPT (else the connection, HELO or MAIL)
};

struct CalloutRequest {
  Host host;  // with its address; port kNone: `port`
  int port = 25;
  std::string helo;       // the EHLO/HELO argument
  std::string interface;  // local address to bind, or ""
  std::string mail_from;  // without the angle brackets ("" for the null sender)
  std::string rcpt_to;
  int connect_timeout = 30, command_timeout = 30;
};

class CalloutClient {
 public:
  virtual ~CalloutClient() = default;
  virtual CalloutProbe probe(const CalloutRequest& r) = 0;
  // The hosts of an smtp transport's (expanded) `hosts` list, with their addresses; names
  // that cannot be looked up are left out.
  virtual std::vector<Host> hosts_from_list(const std::string& list) {
    (void)list;
    return {};
  }
};

// The process-wide client (null until the smtp transport family registers one).
CalloutClient* callout_client();
void set_callout_client(CalloutClient* c);

// What a callout found: Accept, Fail or Defer, with Exim's texts.
struct CalloutOutcome {
  routers::RouterResult status = routers::RouterResult::Defer;
  std::string message;       // for the log
  std::string user_message;  // for the client
};

struct CalloutTarget {
  std::vector<Host> hosts;  // the routed address's hosts
  int port = 25;            // the transport's port
  std::string helo, interface;
  std::string random_local_part;  // callout_random_local_part, expanded
};

// Runs the callout for `address` (a recipient unless `sender`), MAIL FROM:<mail_from>;
// `cache` may be null (no caching).
CalloutOutcome run_callout(const std::string& address, bool sender, const std::string& mail_from,
                           const CalloutTarget& target, const CalloutOptions& o,
                           CalloutCache* cache);

}  // namespace engine

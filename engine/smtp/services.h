// engine/smtp/services.h — what an SMTP session needs from the rest of the engine: the log,
// message storage (the spool), address verification (routing), authenticators. Each has a
// harmless default so that a session works (and can be tested) before those parts exist.
//
// Contract: the services are called from the session's thread only; a service that fails
// says so in its result (never throws).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"

namespace engine::smtp {

struct Transaction;

// Where an ACL is run (spec 44.3): decides the option name, the default verdict when the
// option is unset and the reply codes.
enum class AclWhere : unsigned char {
  Connect,
  Helo,
  Mail,
  Rcpt,
  Predata,
  Data,
  Quit,
  NotQuit,
  Vrfy,
  Expn,
  Etrn,
  Starttls,
  Auth,
  MailAuth,
};
// "acl_smtp_rcpt", ...
std::string_view acl_option_name(AclWhere w);

struct AclOutcome {
  lang::AclVerdict verdict = lang::AclVerdict::Accept;
  std::string message;      // the `message =` text (may hold a code and newlines), or ""
  std::string log_message;  // for the log line instead of `message` (log_message ...), or ""
  bool from_acl = false;    // false: the option was unset and the default applied
};

// Address verification by the routers (spec 44.43 "verify = recipient/sender", 48 VRFY/EXPN).
enum class VerifyKind : unsigned char { Recipient, Sender, Vrfy, Expn };
struct VerifyRequest {
  std::string address;  // as received (EXPN: the raw argument); qualified when needed
  VerifyKind kind = VerifyKind::Recipient;
  bool success_on_redirect = false;  // verify = recipient/success_on_redirect
  // verify = .../callout[=params]: what follows the word "callout" ("" or "=10s,...").
  std::optional<std::string> callout;
};
enum class VerifyStatus : unsigned char { Ok, Fail, Defer };
struct VerifyResult {
  VerifyStatus status = VerifyStatus::Defer;
  std::string address;       // the address verified (qualified)
  std::string message;       // why it failed or deferred, for the log
  std::string user_message;  // what the client may be told ("" when nothing specific)
  // EXPN: the lines of the 250 reply ("<a@b>", "mail to <x> is discarded"), or of the 553
  // reply when the address fails or defers ("x is undeliverable").
  std::vector<std::string> addresses;
  std::string address_data;  // $address_data set by the routers
  bool address_data_set = false;
};

// One AUTH dialogue with an authenticator (engine/smtp/auth_services.h implements them).
// Kinds are Exim's results: Success 235, Fail 535, Defer 435, Bad64 501, Unexpected 553;
// TempFail 454 is a backend's explicit temporary failure (RFC 4954 section 6).
struct AuthStep {
  enum Kind : unsigned char { Challenge, Success, Fail, Defer, TempFail, Bad64, Unexpected };
  Kind kind = Fail;
  std::string text;  // Challenge: the base64 challenge; Defer: added to the client's reply
  std::string log;   // why it did not succeed, for the log (never a password)
  // server_set_id, expanded: $authenticated_id on success, $authenticated_fail_id otherwise.
  std::string id;
};
class AuthExchange {
 public:
  virtual ~AuthExchange() = default;
  // The initial response (may be empty) or the client's answer to the last challenge,
  // still base64-encoded.
  virtual AuthStep step(std::string_view response, bool initial) = 0;
  // The authenticator's (instance) name: $sender_host_authenticated, `authenticated =`.
  virtual std::string authenticator() const { return ""; }
};

class SessionServices {
 public:
  virtual ~SessionServices() = default;
  // A line for the main log (arrivals, errors, logwrite).
  virtual void log(std::string_view line) { (void)line; }
  // A refusal: for the main log and the reject log.
  virtual void log_reject(std::string_view line) { log(line); }
  // Authenticators: the mechanisms to advertise in EHLO and a dialogue for one of them
  // (null: not supported).
  virtual std::vector<std::string> auth_mechanisms(lang::EvalContext& ctx) {
    (void)ctx;
    return {};
  }
  virtual std::unique_ptr<AuthExchange> auth_start(std::string_view mechanism,
                                                   lang::EvalContext& ctx) {
    (void)mechanism, (void)ctx;
    return nullptr;
  }
  // The authenticator that runs after TLS with a verified client certificate (driver = tls),
  // started with no data; null when there is none.
  virtual std::unique_ptr<AuthExchange> tls_auth_start(lang::EvalContext& ctx) {
    (void)ctx;
    return nullptr;
  }
  // Routing: VRFY, EXPN and `verify = recipient/sender` (engine/verify.h does the work).
  virtual VerifyResult verify_address(const VerifyRequest& req, lang::EvalContext& ctx) {
    (void)ctx;
    VerifyResult r;
    r.address = req.address;
    r.message = "address verification is not available";
    return r;
  }
  // A new message id (Exim's format, spool chapter "Message identification").
  virtual std::string new_message_id();
  // Stores an accepted message (envelope and data) durably; false with a reason when it
  // could not be. Not called in host-checking sessions.
  // Asynchronous storage, for transports with an event loop: returns true when the service
  // took the message and the transport will call Session::store_finished() once it is
  // durable (or failed); false to use store_message() instead (the default).
  virtual bool store_message_async(const Transaction& t, const std::string& id) {
    (void)t, (void)id;
    return false;
  }
  virtual bool store_message(const Transaction& t, const std::string& id, std::string& error) {
    (void)t, (void)id;
    error = "no spool available";
    return false;
  }
};

}  // namespace engine::smtp

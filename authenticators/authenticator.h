// authenticators/authenticator.h — the authenticator family (spec chapter 33 "SMTP
// authentication" and the driver chapters 34-42): the server side, run by an SMTP session
// for one AUTH command, and the client side, run by the smtp transport after EHLO.
//
// A configured instance ("name: driver = plaintext ...") becomes an Authenticator through the
// family registry: each driver file ends with one AuthenticatorRegistrar holding its name,
// its private option table (also registered with engine/config/drivers.h, so the reader
// checks the options) and its factory. Adding a driver touches its file and its test.
//
// Server side. server_start() begins a dialogue; step() takes what the client sent, still
// base64-encoded (the AUTH command's initial response first, "" when there was none), and
// returns a challenge (base64, for a 334 reply) or an outcome. The data the client supplied
// and the driver decoded is in $auth1..$auth4 (EvalContext::item_vars; also $1..$3, as Exim
// keeps them for old configurations) while the dialogue runs; the session clears them after.
// Outcomes follow Exim's: Ok, Fail (535), Defer (435), Bad64 (501), Unexpected (553);
// TempFail (454) is a backend's explicit temporary failure (Dovecot's temp_fail).
//
// Client side. client_authenticate() speaks one mechanism over a ClientChannel (the
// transport's connection: it sends a line and returns the server's reply). Outcomes are
// Exim's client codes: Ok, Fail (the server refused: 5xx), Defer (4xx, I/O, timeout), Error
// (a configuration problem), Cancelled (a forced expansion failure: try the next one).
//
// Failures never escape as exceptions: every problem is an outcome with a message for the
// log. Messages meant for the log never contain what the client sent as a password.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/drivers.h"
#include "lang/context.h"

namespace authenticators {

using engine::config::DriverOption;

// ----- server side -----

enum class ServerOutcome : unsigned char {
  Challenge,
  Ok,
  Fail,
  Defer,
  TempFail,
  Bad64,
  Unexpected
};

struct ServerReply {
  ServerOutcome outcome = ServerOutcome::Fail;
  std::string challenge;  // Challenge: base64 text for "334 "
  std::string log;        // Fail/Defer/TempFail: the reason, for the log only
  std::string client;     // Defer/TempFail: text for the client after the standard reply
};

class ServerDialogue {
 public:
  virtual ~ServerDialogue() = default;
  // `data`: base64 text from the client; `initial`: it came with the AUTH command.
  virtual ServerReply step(std::string_view data, bool initial) = 0;
};

// ----- client side -----

enum class ClientOutcome : unsigned char { Ok, Fail, Defer, Error, Cancelled };

struct ClientReply {
  int code = 0;      // 0: no reply (I/O error or timeout; `text` says why)
  std::string text;  // the reply's text, lines joined by '\n', without the codes
};

// The transport's side of an SMTP connection, as a client authenticator uses it.
class ClientChannel {
 public:
  virtual ~ClientChannel() = default;
  // Sends one command line (CRLF is added) and reads the whole reply.
  virtual ClientReply command(std::string_view line) = 0;
};

struct ClientResult {
  ClientOutcome outcome = ClientOutcome::Error;
  std::string message;  // for the log: why it failed (passwords never included)
};

// ----- one configured instance -----

class Authenticator {
 public:
  explicit Authenticator(const engine::config::Instance& inst);
  virtual ~Authenticator() = default;
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  const std::string& name() const { return opts_.instance().name; }
  const std::string& driver() const { return opts_.instance().driver; }
  // The mechanism: public_name, else the instance name; upper case, as advertised.
  std::string public_name() const;
  const engine::config::InstanceOptions& options() const { return opts_; }

  // Whether the instance is configured for that side (its server_* / client_* options).
  virtual bool is_server() const { return false; }
  virtual bool is_client() const { return false; }
  // Run by the session after a TLS negotiation with a verified client certificate instead of
  // through AUTH (the tls driver); never advertised.
  virtual bool after_tls() const { return false; }
  // The client side sends a password the server (or an eavesdropper) can read.
  virtual bool sends_clear_password() const { return false; }
  // A dialogue for one AUTH command (null when not a server).
  virtual std::unique_ptr<ServerDialogue> server_start(lang::EvalContext& ctx) const;
  // Authenticates over `ch` with this mechanism (is_client() must be true).
  virtual ClientResult client_authenticate(ClientChannel& ch, lang::EvalContext& ctx) const;

 private:
  engine::config::InstanceOptions opts_;
};

// ----- the registry -----

struct DriverDescriptor {
  std::string_view name;                  // as in "driver ="
  std::span<const DriverOption> options;  // private options, sorted by name
  std::unique_ptr<Authenticator> (*make)(const engine::config::Instance&);
};

// Registers a driver (and its options with the configuration reader); a duplicate name
// aborts at start-up.
class AuthenticatorRegistrar {
 public:
  explicit AuthenticatorRegistrar(const DriverDescriptor& d);
};

const DriverDescriptor* find_driver(std::string_view name);
std::vector<std::string_view> driver_names();  // sorted

// The instance for `inst`, or null when its driver is not implemented.
std::unique_ptr<Authenticator> make_authenticator(const engine::config::Instance& inst);
// Every implemented instance of the configuration, in configuration order.
std::vector<std::unique_ptr<Authenticator>> make_authenticators(const engine::config::Config& c);

}  // namespace authenticators

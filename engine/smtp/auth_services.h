// engine/smtp/auth_services.h — the authenticators behind an SMTP session (spec chapter 33,
// "Authentication on an Exim server"): which mechanisms EHLO offers and the AUTH dialogue.
//
// AuthenticatingServices is the SessionServices base of the real transports (-bs/-bh on
// stdio, the daemon): it builds the configured authenticators (authenticators/
// authenticator.h) and implements auth_mechanisms() and auth_start() with them.
//
// Advertising: an instance with its server side configured is offered when its
// server_advertise_condition, if set, expands to something other than "", "0", "no" or
// "false"; a failed expansion leaves it out (a non-forced failure is logged). Names are
// upper-cased and listed once, in configuration order. Drivers facteur does not implement
// are never offered, nor is the tls driver, which tls_auth_start() gives the session after a
// TLS negotiation with a verified client certificate (spec chapter 42).
//
// A dialogue wraps the driver's: after the driver's outcome, server_set_id is expanded (on
// failure too, for $authenticated_fail_id and the log; a success whose server_set_id does
// not expand becomes a temporary failure, as in Exim), printed through server_debug_print
// with -d+auth, and $auth1..$auth4 are cleared.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/smtp/services.h"

namespace authenticators {
class Authenticator;
}

namespace engine::smtp {

class AuthenticatingServices : public SessionServices {
 public:
  explicit AuthenticatingServices(const config::Config& cfg);
  ~AuthenticatingServices() override;

  std::vector<std::string> auth_mechanisms(lang::EvalContext& ctx) override;
  std::unique_ptr<AuthExchange> auth_start(std::string_view mechanism,
                                           lang::EvalContext& ctx) override;
  std::unique_ptr<AuthExchange> tls_auth_start(lang::EvalContext& ctx) override;

 private:
  const std::vector<std::unique_ptr<authenticators::Authenticator>>& authenticators();

  const config::Config& cfg_;
  bool built_ = false;
  std::vector<std::unique_ptr<authenticators::Authenticator>> auths_;
  std::vector<const authenticators::Authenticator*> advertised_;  // by the last EHLO
};

}  // namespace engine::smtp

// authenticators/client.h — authenticating as a client, for the smtp transport (spec chapter
// 33 "Authentication by an Exim client", and the transport's hosts_require_auth /
// hosts_try_auth): which configured authenticators to try against a server and in what
// order, and what a failure means for the delivery.
//
// After EHLO, when the host matched hosts_require_auth or hosts_try_auth and the server
// advertised AUTH, each instance with a client side whose public name the server offers is
// tried in configuration order, unless its client_condition expands to "", "0", "no" or
// "false". A driver that sends a readable password (plaintext) is only used over TLS unless
// client_condition is set, i.e. the administrator decided (facteur's rule; Exim would send
// it in clear). The first success ends the search and gives the instance's client_set_id;
// a 5xx refusal or a cancelled attempt moves on to the next; a temporary failure or a
// configuration error stops at once.
//
// Result: Authenticated; NotAuthenticated (go on without, as for hosts_try_auth); Defer (the
// host matched hosts_require_auth and nothing worked, or a temporary failure: the delivery
// is deferred with `message`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "authenticators/authenticator.h"

namespace authenticators {

struct ClientAuthRequest {
  std::vector<std::string> server_mechanisms;  // from the server's EHLO AUTH line
  bool require = false;                        // the host matched hosts_require_auth
  bool tls_active = false;                     // the connection is encrypted
};

struct ClientAuthOutcome {
  enum Kind : unsigned char { Authenticated, NotAuthenticated, Defer } kind = NotAuthenticated;
  std::string authenticator;  // Authenticated: the instance name
  std::string client_id;      // Authenticated: client_set_id expanded ("" when unset)
  std::string message;        // why not (for the log and the deferral)
};

ClientAuthOutcome client_authenticate_host(const std::vector<std::unique_ptr<Authenticator>>& auths,
                                           const ClientAuthRequest& req, ClientChannel& ch,
                                           lang::EvalContext& ctx);

}  // namespace authenticators

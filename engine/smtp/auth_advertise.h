// engine/smtp/auth_advertise.h — which AUTH mechanisms an SMTP server offers (spec chapter
// 33 "SMTP authentication", sections on public_name and server_advertise_condition).
//
// A configured authenticator is offered when it has its server side (plaintext:
// server_condition; cram_md5: server_secret; dovecot: server_socket; spa: server_password;
// others: any server_* option other than the generic ones) and its
// server_advertise_condition, if any, expands to a true value. The public name defaults to
// the upper-cased instance name; a name is listed once, in configuration order. An expansion
// error leaves the authenticator out.
#pragma once

#include <string>
#include <vector>

#include "engine/config/config.h"
#include "lang/context.h"

namespace engine::smtp {

std::vector<std::string> advertised_auth_mechanisms(const config::Config& cfg,
                                                    lang::EvalContext& ctx);

// The instance that serves `mechanism` (its public name), or null.
const config::Instance* find_server_authenticator(const config::Config& cfg,
                                                  std::string_view mechanism);

}  // namespace engine::smtp

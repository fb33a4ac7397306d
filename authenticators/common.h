// authenticators/common.h — helpers shared by the authenticator drivers (as Exim's
// auths/get_data.c and auths/check_serv_cond.c): expanding an instance's options, the
// $auth<n> variables, decoding client data, the generic server_condition test, and the
// client's command/challenge exchange.
//
// Contract: nothing here throws or logs; every failure is a return value. Expansion results
// keep lang's three outcomes (ok, forced failure, error).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "authenticators/authenticator.h"
#include "lang/status.h"

namespace authenticators {

// Expands option `name` of `a` (its default when unset) into `out`.
lang::Status expand_option(const Authenticator& a, std::string_view name, lang::EvalContext& ctx,
                           std::string& out);

// $auth1..$auth4 (and $1.. for old configurations) from the data items received so far.
void set_auth_vars(lang::EvalContext& ctx, const std::vector<std::string>& items);
// Removes them again (the session calls this when the dialogue is over).
void clear_auth_vars(lang::EvalContext& ctx);

// Decodes base64 client data; false when it is not valid base64 (a 501 for the client).
bool decode_client_data(std::string_view b64, std::string& out);
// Splits decoded data at NUL bytes as Exim does: "\0a\0b" gives "", "a", "b"; a trailing
// NUL adds nothing; empty data gives no items (with `at_least_one`, one empty item).
void split_at_nuls(std::string_view data, bool at_least_one, std::vector<std::string>& items);

// Exim's auth_check_some_cond: expands the condition option `name`; unset gives `unset`;
// forced failure, "", "0", "no", "false" give Fail; "1", "yes", "true" give Ok; an error or
// any other value gives Defer with the text (for the client too when it is a value).
ServerReply check_condition(const Authenticator& a, std::string_view name, lang::EvalContext& ctx,
                            ServerOutcome unset);

// Replaces every occurrence of `secret` (when not empty) in `text` with "<hidden>".
std::string hide_secret(std::string text, std::string_view secret);

// Client side: the reply to one line, read as an authentication step: 334 gives Challenge
// with the decoded challenge in `challenge`; 235 Ok; other 5xx Fail; 4xx or no reply Defer.
enum class ClientStep : unsigned char { Challenge, Ok, Fail, Defer, BadChallenge };
ClientStep client_exchange(ClientChannel& ch, std::string_view line, std::string& challenge,
                           ClientReply& reply);
// The ClientResult for a final step, with the server's reply for the log.
ClientResult client_result(ClientStep step, const ClientReply& reply, std::string_view mech);

}  // namespace authenticators

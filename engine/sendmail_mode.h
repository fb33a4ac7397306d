// engine/sendmail_mode.h — sendmail-compatible local submission (spec chapter 5: -bm, -t, -i,
// -oi, -f, -F; chapter 44 acl_not_smtp; chapter 48 for the header fix-ups done by
// engine/submit.h): a message on standard input, recipients from the arguments or, with -t,
// from To:, Cc: and Bcc: (Resent- ones when present), less any argument addresses.
//
// Input lines end at LF, CR LF or a lone CR (all stored as LF); a line holding a single dot
// ends the message unless -i/-oi. Each recipient argument may be a comma-separated list of
// RFC 5322 addresses; unqualified ones get qualify_recipient. The caller is trusted when root,
// the exim_user, or in trusted_users / trusted_groups: only then does -f set the sender (an
// untrusted caller may give -f <>), otherwise the sender is LOGIN@qualify_domain.
// acl_not_smtp runs with the message's headers available; deny refuses the message.
//
// Failure: bad addresses, no recipients, an ACL refusal or a spool error give the text of the
// error (written by the caller to stderr, as Exim does with -oep) and exit status 1.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "engine/acl.h"
#include "engine/cli.h"
#include "engine/config/config.h"
#include "engine/submit.h"
#include "util/result.h"

namespace engine {

// Reads a message from `in` as sendmail does: line ends normalised, dot termination unless
// `dot_ends` is false.
std::string sendmail_read_input(std::FILE* in, bool dot_ends);

// The caller from the real uid: login, full name (gecos, "&" expanded; -F wins), trust.
LocalCaller sendmail_caller(const config::Config& cfg, const std::string& full_name);

// Builds the LocalMessage for a submission of `text`: sender, recipients (arguments or -t),
// Bcc: removal. Error texts are Exim's ("no recipients found in headers", "bad address ...").
util::Result<LocalMessage> sendmail_message(const config::Config& cfg, const CommandLine& cl,
                                            const LocalCaller& caller, std::string text);

// Runs acl_not_smtp (if set) for `m`; "" when accepted, else the refusal text.
std::string sendmail_check_acl(const config::Config& cfg, const acl::AclSet& acls,
                               const LocalMessage& m);

}  // namespace engine

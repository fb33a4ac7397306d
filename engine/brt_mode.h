// engine/brt_mode.h — `facteur -brt ADDRESS|DOMAIN [DOMAIN] [ERROR]`: which retry rule applies
// (spec chapter 5, -brt; chapter 32). Prints "Retry rule: PATTERN  ERROR  PARAMS; " or
// "No retry information found", as Exim does.
//
// Arguments: the first is an address or a domain (a domain without a dot draws Exim's warning
// that it is taken as a one-component domain); a later argument with a dot is a second domain
// tried when the first does not match; any other is an error name ("rcpt_452", "quota_3d").
// `sender` (-f) makes rules with a senders list eligible. Errors (no argument, a bad error
// name) go to stderr with exit status 1.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine/retry_rules.h"
#include "lang/context.h"

namespace engine {

int run_retry_test(const RetryRules& rules, lang::EvalContext& ctx,
                   const std::vector<std::string>& args, const std::optional<std::string>& sender,
                   std::FILE* out, std::FILE* err);

}  // namespace engine

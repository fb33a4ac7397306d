// engine/rewrite.h — address rewriting rules (spec chapter 31, "Address rewriting"): the
// "begin rewrite" section and the transports' headers_rewrite option, parsed once; rewriting
// one address for one place (an envelope field or a header), and rewriting the addresses of a
// header line while keeping its phrases and comments.
//
// A rule is "<pattern> <replacement> <flags>" (each part ends at white space unless it is in
// double quotes). The pattern is a one-item address list, expanded before it is matched; "*"
// and literal local parts and domains, and regular expressions, set $1, $2... as spec 31.5
// says, other items (lookups, named lists) only $0. The replacement is expanded with
// $local_part and $domain of the address being rewritten; "*" means "leave it alone and stop".
// Flags choose the places (E F T b c f h r s t; none = everywhere, or every header for
// transports) and the process (Q: may be unqualified, qualified with qualify_recipient; q:
// stop after this rule; R: re-apply up to ten times; w: replace the whole header item).
//
// Failure: rewrite_parse() reports a rule it cannot read (with its location); at run time a
// forced failure of a replacement abandons that rule, any other expansion failure abandons the
// whole rewrite (the address stays as it was), as in Exim.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "lang/expand.h"
#include "util/result.h"

namespace engine {

enum RewriteFlag : unsigned {
  kRewriteEnvFrom = 1u << 0,  // F
  kRewriteEnvTo = 1u << 1,    // T
  kRewriteBcc = 1u << 2,      // b
  kRewriteCc = 1u << 3,       // c
  kRewriteFrom = 1u << 4,     // f
  kRewriteReplyTo = 1u << 5,  // r
  kRewriteSender = 1u << 6,   // s
  kRewriteTo = 1u << 7,       // t
  kRewriteSmtp = 1u << 8,     // S (SMTP time; not applied here)
  kRewriteQualify = 1u << 9,  // Q
  kRewriteQuit = 1u << 10,    // q
  kRewriteRepeat = 1u << 11,  // R
  kRewriteWhole = 1u << 12,   // w
  kRewriteHeaders =
      kRewriteBcc | kRewriteCc | kRewriteFrom | kRewriteReplyTo | kRewriteSender | kRewriteTo,
  kRewriteEnvelope = kRewriteEnvFrom | kRewriteEnvTo,
};

struct RewriteRule {
  std::shared_ptr<const lang::Program> pattern;      // expanded before each match
  std::shared_ptr<const lang::Program> replacement;  // null for "*"
  unsigned flags = 0;
};

// Parses rules, one per item. `transport`: headers_rewrite rules (E, F, T and S are refused;
// no place flag means every header).
util::Result<std::vector<RewriteRule>> rewrite_parse(const std::vector<std::string>& rules,
                                                     bool transport);
// headers_rewrite: a colon-separated list of rules.
util::Result<std::vector<RewriteRule>> rewrite_parse_list(std::string_view list, bool transport);

// Rewrites `address` for place `where` (one place flag). `whole` receives the replacement of
// a rule with the w flag (empty otherwise). `qualify` qualifies a Q result.
std::string rewrite_address(const std::vector<RewriteRule>& rules, std::string_view address,
                            unsigned where, lang::EvalContext& ctx, const std::string& qualify,
                            std::string* whole = nullptr);

// The place flag of a header line (From:, Resent-To: ...), 0 for headers without addresses.
unsigned rewrite_header_place(std::string_view line);

// Rewrites the addresses of a whole header line ("To: A <a@x>, b@y\n"); other lines, and
// addresses no rule changes, come back as they were.
std::string rewrite_header(const std::vector<RewriteRule>& rules, const std::string& line,
                           lang::EvalContext& ctx, const std::string& qualify);

}  // namespace engine

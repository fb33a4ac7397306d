// engine/smtp/address.h — the address operand of MAIL, RCPT and VRFY (RFC 5321 section 4.1.2
// "paths", read with RFC 5322's leniency as Exim does; spec chapter 48 "SMTP processing" and
// chapter 31 "Address rewriting" for source routes).
//
// parse_path() accepts `<path>`, a bare address, and `phrase <path>`; comments in parentheses
// and white space between tokens are dropped; a source route `@a,@b:` is discarded (RFC 5321
// appendix C); quoted local parts, bang paths and `%` are kept as written. A domain is a dot
// separated list of labels of letters, digits and hyphens (not starting with a hyphen);
// a domain literal `[...]` is refused unless allowed (allow_domain_literals).
//
// Contract: never reads out of bounds, whatever the bytes. A failure gives Exim's reason text
// ("domain missing or malformed", "malformed address: X may not follow Y", ...), which the
// SMTP layer prints as "501 <operand>: <reason>".
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace engine::smtp {

struct PathOptions {
  bool allow_empty = false;            // "<>" is the null sender (MAIL)
  bool allow_domain_literals = false;  // user@[192.0.2.1]
};

struct Path {
  std::string local_part;  // as written: quotes and escapes kept, comments/space removed
  std::string domain;      // as written; empty when the address is unqualified
  bool empty = false;      // "<>"
  // local_part@domain, or local_part alone when unqualified; "" for "<>".
  std::string address() const { return domain.empty() ? local_part : local_part + "@" + domain; }
};

util::Result<Path> parse_path(std::string_view text, const PathOptions& opts = {});

// The local part with quotes and backslash escapes removed ("\"a b\"" -> "a b").
std::string unquote_local_part(std::string_view lp);

// True when `lp` needs no quoting as a dot-atom (RFC 5322 atext and dots).
bool local_part_is_atom(std::string_view lp);

// The percent hack (spec "percent_hack_domains"): while `domain` is one of the hack domains
// (decided by `matches`) and the local part contains '%', "u%d" @ domain becomes "u" @ "d",
// splitting at the last '%'. Returns true when the address changed.
template <class Pred>
bool percent_hack(std::string& local_part, std::string& domain, Pred matches) {
  bool changed = false;
  for (int guard = 0; guard < 1000 && matches(domain); ++guard) {
    size_t p = local_part.rfind('%');
    if (p == std::string::npos) break;
    domain = local_part.substr(p + 1);
    local_part.resize(p);
    changed = true;
  }
  return changed;
}

}  // namespace engine::smtp

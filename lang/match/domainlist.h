// lang/match/domainlist.h — domain lists (spec 10.9): what `domains =`, the match_domain
// condition and the ACL `domains` condition use.
//
// Items (after the '!', "+name" and file handling of lang/match/listmatch.h):
//   @              the primary host name (value: the primary host name)
//   @[]            a domain literal holding one of this host's interface addresses
//   @mx_any, @mx_primary, @mx_secondary (with /ignore=<host list>): the domain's MX hosts
//                  include this host (an address of a local interface, or a name in
//                  hosts_treat_as_local) — at any preference, at the lowest, or only at a
//                  higher one; addresses in the ignore list are dropped first (value: the
//                  item). A temporary DNS failure defers. (lang/match/domain_mx.cpp)
//   *tail          the domain ends with `tail` (value: the item; $0 = domain, $1 = the rest)
//   ^regex         caseless regular expression (value: the item; $0, $1.. = captures)
//   type;source    a lookup of the domain (partial-, *, *@ allowed; value: the looked-up data)
//   anything else  caseless comparison (value: the item)
// Matching is caseless: the domain is lower-cased for comparisons and lookup keys, while a
// regular expression sees it as given (with PCRE2_CASELESS, "(?-i)" to undo).
// Errors give Defer (see ListMatchResult): bad regex, unknown lookup type, lookup defer,
// unknown named list.
#pragma once

#include <string_view>

#include "lang/match/listmatch.h"

namespace lang {

// `caseless` is false only for the domain part of address-list items after "+caseful": the
// items are then compared exactly with the lower-cased domain (Exim 4.96 behaviour).
// `label`, when given, is the option name the trace shows instead of the list.
ListMatchResult match_domainlist(EvalContext& ctx, std::string_view list, std::string_view domain,
                                 bool caseless = true, std::string_view label = {});

// One plain item.
ListMatch match_domain_item(EvalContext& ctx, std::string_view pattern, std::string_view domain,
                            const MatchState& st, ListMatchResult& res);

// "@mx_any", "@mx_primary", "@mx_secondary" with an optional "/ignore=list"; NoMatch for
// other "@mx_..." text, which is then an ordinary item.
ListMatch match_domain_mx(EvalContext& ctx, std::string_view pattern, std::string_view domain,
                          ListMatchResult& res, bool& special);

// True when `literal` ("[1.2.3.4]", "[::1]") holds an address of a local interface.
bool domain_is_local_literal(std::string_view literal);

}  // namespace lang

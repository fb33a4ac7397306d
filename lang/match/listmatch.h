// lang/match/listmatch.h — the list walk shared by domain, local-part and address lists
// (spec chapter 10, "Domain, host, address, and local part lists").
//
// A list (already expanded) is scanned left to right. Each item may be negated by a '!' (and
// optional white space); "+name" refers to a named list of the same kind (looked up
// through ctx.lists and expanded when used; a forced failure of that expansion means "not in
// that list"); "+caseful" (address and local-part lists) turns case-sensitive matching on for
// the items that follow; "/absolute/file" inserts the file's lines as items. Any other item is
// given to the kind's item matcher. A positive match ends the walk with Match, a negative one
// with NoMatch; at the end the result is Match only when the last item was negative.
//
// Failure: Defer, with `error` holding a message when one is known (a lookup's text, a bad
// regular expression, a missing file) or empty (an unknown named list: Exim then says "NULL").
// Named lists nest up to 50 deep.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"

namespace lang {

enum class ListMatch : unsigned char { Match, NoMatch, Defer };

struct ListMatchResult {
  ListMatch outcome = ListMatch::NoMatch;
  std::string value;  // on Match: the value of the matching item (spec 10.5)
  std::string error;  // on Defer: why (may be empty)
};

// Per-walk state: +caseful turns `caseless` off for the rest of the list.
struct MatchState {
  bool caseless = true;
  int depth = 0;  // named-list nesting
};

// Matches one plain item (no '!', no "+name", no file). Sets res.value (and res.error on
// Defer) and returns the outcome.
using ItemMatcher = std::function<ListMatch(EvalContext& ctx, std::string_view pattern,
                                            MatchState& st, ListMatchResult& res)>;

ListMatchResult match_list(EvalContext& ctx, std::string_view list, ListKind kind, MatchState& st,
                           const ItemMatcher& item);

// Regular expression match for list items (PCRE2; `caseless` adds PCRE2_CASELESS). On a match
// and when `captures` is non-null, it receives $0, $1, ... (unset groups are empty).
// A pattern that does not compile gives Defer with "regular expression error: <why> at offset
// N while compiling <pattern>".
ListMatch list_regex(std::string_view pattern, std::string_view subject, bool caseless,
                     std::vector<std::string>* captures, std::string& error);

// Matches a suffix pattern "*tail": true when `subject` ends with `tail` (ASCII caseless when
// asked). On a match `captures` (if non-null) gets $0 = subject and $1 = the part before.
// (Domain and local-part items set $0 to the subject on every kind of match, as Exim does.)
bool list_star_match(std::string_view pattern, std::string_view subject, bool caseless,
                     std::vector<std::string>* captures);

// The items shared by domain and local-part lists: "*tail", "^regex", "type;source" lookups
// and plain text. `lower` is the subject as compared (lower-cased when caseless), `given` the
// subject as written (what a caseless regex sees). On a match res.value is the item (or the
// looked-up data) and $0 the subject, with $1.. the wildcard part or the regex groups.
ListMatch match_text_item(EvalContext& ctx, std::string_view pattern, std::string_view given,
                          const std::string& lower, bool caseless, ListMatchResult& res);

// A lookup item "type;source" (type may be "partial2-lsearch*@,opt=x"; the caller has seen the
// ';'), done through lang::lookup_run with `key`. On a match res.value is the data and $0 the
// key (partial matching may set more). An unknown type or a lookup defer gives Defer with
// res.error. An empty key never matches a single-key lookup.
ListMatch list_lookup_item(EvalContext& ctx, std::string_view pattern, std::string_view key,
                           ListMatchResult& res, bool allow_partial = true);

}  // namespace lang

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
//
// Tracing: with ctx.list_tracer set, each list walked (the outer one and every named list
// inside it) reports its outcome and deciding item (lang/context.h, ListTracer).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "lang/match/pattern.h"

namespace lang {

using ListMatch = MatchResult;

struct ListMatchResult {
  ListMatch outcome = ListMatch::NoMatch;
  std::string value;  // on Match: the value of the matching item (spec 10.5)
  std::string error;  // on Defer: why (may be empty)
};

// Per-walk state: +caseful turns `caseless` off for the rest of the list.
struct MatchState {
  bool caseless = true;
  int depth = 0;  // named-list nesting
  // For the trace (EvalContext::list_tracer): the subject as shown, and the name under which
  // the outermost list is shown instead of its text (an option's name), if any.
  std::string_view subject;
  std::string_view label;
};

// Matches one plain item (no '!', no "+name", no file). Sets res.value (and res.error on
// Defer) and returns the outcome.
using ItemMatcher = std::function<ListMatch(EvalContext& ctx, std::string_view pattern,
                                            MatchState& st, ListMatchResult& res)>;

ListMatchResult match_list(EvalContext& ctx, std::string_view list, ListKind kind, MatchState& st,
                           const ItemMatcher& item);

// Strips a leading '!' and the white space after it; true when the item was negated. Only
// one '!' counts: in "!!x" the item is "!x".
bool list_strip_negation(std::string_view& item);

// A line of a list file, without its comment and trimmed. In domain and host lists '#'
// starts a comment anywhere; in address and local-part lists only at the start of the line
// or after white space.
std::string_view list_file_line(std::string_view line, ListKind kind);

// A pattern item (lang/match/pattern.h) of kind `kind` matched against `subject`. On a match
// res.value is the item as written (a lookup's data, for a lookup) and ctx.captures gets $0
// (the subject), $1.. (the wildcard part, the regex groups, or what partial matching sets);
// on Defer res.error says why (a bad regex, an unknown lookup type, a lookup's message).
ListMatch list_match_pattern(EvalContext& ctx, Pattern::Kind kind, std::string_view pattern,
                             std::string_view subject, Pattern::Options opts, ListMatchResult& res);

// The items shared by domain and local-part lists: "*tail", "^regex", "type;source" lookups
// and plain text. `lower` is the subject as compared (lower-cased when caseless), `given` the
// subject as written (what a caseless regex sees).
ListMatch match_text_item(EvalContext& ctx, std::string_view pattern, std::string_view given,
                          const std::string& lower, bool caseless, ListMatchResult& res);

}  // namespace lang

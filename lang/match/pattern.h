// lang/match/pattern.h — the one domain-style pattern matcher: an item of a domain or
// local-part list (spec 10.8, 10.21), the parts of address-list items (spec 10.20), the
// "*suffix" items of host lists, and wildlsearch keys (spec 9.3).
//
// Forms, told apart in this order (compile()), or forced by the caller (compile_as()):
//   *suffix      the subject ends with "suffix" ("*" alone matches anything)
//   ^regex       a PCRE2 regular expression (lang/regex.h; caseless mode sets PCRE2_CASELESS,
//                which a pattern can turn off with (?-i))
//   type;data    a lookup: single-key types look the subject up in file `data`
//                ("partial-lsearch;/f", "cdb*;/f"; an empty subject is never found),
//                query-style types run query `data`
//   anything     a literal, equal to the subject (ignoring ASCII case when caseless)
// List-only forms ("@", "@[]", "@mx_any", "+name", "!", "/file") are the caller's business.
//
// A match yields $0.. as Exim sets them for list items (they are given back, never written
// to the context): $0 is the subject, $1 the part a "*" matched, or the regex groups, or what
// partial matching of a lookup sets.
//
// Failure: compile() reports a bad regex (with Exim's list-item text, "regular expression
// error: ... while compiling ^(") or an unknown lookup type as an Error; match() gives Defer
// (with the lookup's message) when a lookup pattern's lookup defers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/lookup.h"
#include "lang/status.h"

namespace lang {

class EvalContext;
class Regex;

enum class MatchResult : unsigned char { Match, NoMatch, Defer };

class Pattern {
 public:
  enum class Kind : unsigned char { Literal, Suffix, Regex, Lookup };
  using Result = MatchResult;

  struct Options {
    bool caseless = true;
    bool allow_partial = true;  // partial- lookups (not in address lists)
  };

  // What a match found.
  struct Found {
    std::string value;                  // a lookup's data
    std::vector<std::string> captures;  // $0, $1, ... (see above)
    std::string error;                  // on Defer: why
  };

  // The kind `text` is, by its form.
  static Kind kind_of(std::string_view text);
  // Prepares `text`, its kind told from its form. Regexes are compiled here, once.
  static Status compile(std::string_view text, Options opts, Pattern& out);
  // Prepares `text` as a pattern of kind `kind` (a Suffix text starts with its '*').
  static Status compile_as(Kind kind, std::string_view text, Options opts, Pattern& out);

  Result match(EvalContext& ctx, std::string_view subject, Found& out) const;
  // The outcome alone; `err` gets the reason on Defer.
  Result match(EvalContext& ctx, std::string_view subject, std::string& err) const;

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }  // as written

 private:
  Result match_lookup(EvalContext& ctx, std::string_view subject, Found& out) const;

  Kind kind_ = Kind::Literal;
  bool caseless_ = true;
  std::string text_;
  std::string arg_;  // the literal, the suffix (without '*'), or the lookup data
  std::shared_ptr<const lang::Regex> re_;
  LookupSpec spec_;
};

// Compiles and matches in one go (for patterns that change on every use; regexes come from
// the cache). A pattern that does not compile gives Defer with the reason in out.error.
Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, Pattern::Found& out);
Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, std::string& err);
Pattern::Result pattern_match_as(EvalContext& ctx, Pattern::Kind kind, std::string_view pattern,
                                 std::string_view subject, Pattern::Options opts,
                                 Pattern::Found& out);

}  // namespace lang

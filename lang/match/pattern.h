// lang/match/pattern.h — one domain-list style pattern matched against a subject string
// (spec 10.8 "Domain lists", as used by wildlsearch keys, spec 9.3).
//
// Forms, tried in this order:
//   *suffix      the subject ends with "suffix" ("*" alone matches anything)
//   ^regex       a PCRE2 regular expression (caseless mode sets PCRE2_CASELESS; a pattern
//                can turn it off with (?-i))
//   type;data    a lookup: single-key types look the subject up in file `data`
//                ("partial-lsearch;/f", "cdb*;/f"), query-style types run query `data`
//   anything     a literal, equal to the subject (ignoring ASCII case when caseless)
// Domain-list-only forms ("@", "@[]", "@mx_any", "+name", "!") are the caller's business.
//
// Failure: compile() reports a bad regex or an unknown lookup type as an Error; match()
// gives Defer (with the lookup's message) when a lookup pattern's lookup defers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/lookup.h"
#include "lang/status.h"

namespace lang {

class EvalContext;
struct RegexCode;  // a compiled PCRE2 pattern (pattern.cpp)

class Pattern {
 public:
  enum class Kind : unsigned char { Literal, Suffix, Regex, Lookup };
  enum class Result : unsigned char { Match, NoMatch, Defer };

  struct Options {
    bool caseless = true;
    bool allow_partial = true;  // partial- lookups (not in address lists)
  };

  // Prepares `text`. Regexes are compiled here, once.
  static Status compile(std::string_view text, Options opts, Pattern& out);

  // Matches `subject`. For a lookup pattern, `value` (when not null) receives the looked-up
  // data; for a regex, `captures` (when not null) receives $0, $1, ... On Defer, `err`
  // holds the reason.
  Result match(EvalContext& ctx, std::string_view subject, std::string* value,
               std::vector<std::string>* captures, std::string& err) const;

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }

 private:
  Kind kind_ = Kind::Literal;
  bool caseless_ = true;
  std::string text_;  // the literal, the suffix (without '*'), the regex, or the lookup data
  std::shared_ptr<const RegexCode> re_;
  LookupSpec spec_;
};

// Compiles and matches in one go (for patterns that change on every use).
Pattern::Result pattern_match(EvalContext& ctx, std::string_view pattern, std::string_view subject,
                              Pattern::Options opts, std::string* value, std::string& err);

}  // namespace lang

// lang/regex.h — the one PCRE2 facility of the expansion language (spec chapter "Regular
// expressions"): 8-bit mode, Exim's compile options (none, or PCRE2_CASELESS for caseless list
// items), matched against bytes. Used by the match condition, ${sg}, and the "^regex" items of
// domain, local-part and address lists and wildlsearch keys (lang/match/pattern.h).
//
// Regex::compile() reports a bad pattern with Exim's text for an expansion item or condition:
//   regular expression error in "(": missing closing parenthesis at offset 1
// or, for a list item (RegexOptions::list_item):
//   regular expression error: missing closing parenthesis at offset 2 while compiling ^(
// Regex::cached() keeps compiled patterns of run-time strings in a bounded per-process hash
// map (keyed by pattern and options), so a pattern is compiled once per distinct text.
// Matching never fails loudly: a match-limit or other PCRE2 run-time error counts as no match.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/status.h"

namespace lang {

class EvalContext;

struct RegexOptions {
  bool caseless = false;   // PCRE2_CASELESS (a pattern can turn it off with "(?-i)")
  bool list_item = false;  // compile errors worded as for a list item (see above)
};

class Regex {
 public:
  Regex() = default;
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Compiles `pattern`; on error `out` is untouched.
  static Status compile(std::string_view pattern, std::shared_ptr<const Regex>& out,
                        RegexOptions opts = {});
  // The compiled form of `pattern` from the per-process cache (compiling it on first use).
  // Patterns that do not compile are not kept.
  static Status cached(std::string_view pattern, std::shared_ptr<const Regex>& out,
                       RegexOptions opts = {});

  // Searches `subject` from `start`. On a match fills `caps` with $0..$N, N being the last
  // group that took part (groups that did not are empty), and returns true. `flags` are
  // PCRE2 match options.
  bool search(std::string_view subject, size_t start, std::vector<std::string>& caps,
              unsigned flags = 0) const;
  // Like search(), also giving the byte offsets of the whole match.
  bool search_span(std::string_view subject, size_t start, unsigned flags,
                   std::vector<std::string>& caps, size_t& begin, size_t& end) const;
  // Searches the whole of `subject`; on a match ctx.captures becomes $0..$N and true is
  // returned; otherwise ctx.captures is left as it was.
  bool match(EvalContext& ctx, std::string_view subject) const;

  const std::string& pattern() const { return pattern_; }

 private:
  void* code_ = nullptr;  // pcre2_code*
  uint32_t pairs_ = 1;    // $0 and the groups
  std::string pattern_;
};

// Regex::cached() with the default options (kept for the items' callers).
inline Status regex_cached(std::string_view pattern, std::shared_ptr<const Regex>& out) {
  return Regex::cached(pattern, out);
}

// PCRE2 match options for Perl-style global replacement (sg): retry an empty match position.
unsigned regex_flag_notempty_atstart_anchored();

}  // namespace lang

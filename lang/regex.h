// lang/regex.h — PCRE2 regular expressions as the expansion language uses them (spec chapter
// "Regular expressions"): 8-bit mode, default options, matched against bytes.
//
// Regex::compile() reports a bad pattern with Exim's text:
//   regular expression error in "(": missing closing parenthesis at offset 1
// regex_cached() keeps compiled patterns of non-constant strings in a bounded per-process
// cache, so a pattern built at run time is compiled once per distinct text.
// Matching never fails loudly: a match-limit or other PCRE2 run-time error counts as no match.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/status.h"

namespace lang {

class Regex {
 public:
  Regex() = default;
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Compiles `pattern`; on error `out` is untouched.
  static Status compile(std::string_view pattern, std::shared_ptr<const Regex>& out);

  // Searches `subject` from `start`. On a match fills `caps` with $0..$N (groups that did not
  // take part are empty) and returns true. `flags` are PCRE2 match options.
  bool search(std::string_view subject, size_t start, std::vector<std::string>& caps,
              unsigned flags = 0) const;
  // Like search(), returning the byte offsets of the whole match instead of its captures.
  bool search_span(std::string_view subject, size_t start, unsigned flags,
                   std::vector<std::string>& caps, size_t& begin, size_t& end) const;

  const std::string& pattern() const { return pattern_; }

 private:
  void* code_ = nullptr;  // pcre2_code*
  std::string pattern_;
};

// The compiled form of `pattern` from the per-process cache (compiling it on first use).
Status regex_cached(std::string_view pattern, std::shared_ptr<const Regex>& out);

// PCRE2 match options for Perl-style global replacement (sg): retry an empty match position.
unsigned regex_flag_notempty_atstart_anchored();

}  // namespace lang

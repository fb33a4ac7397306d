// lang/parser.h — the recursive-descent parser for Exim's expansion language.
//
// lang::compile() (lang/expand.h) is the façade; items and conditions use the Parser API below
// to read their own arguments, so the grammar of each item lives in the item's file.
// The grammar is Exim's (spec chapter "String expansions"): literal text, `\` escapes,
// `\N...\N`, `$name`, `${name}`, `${op:...}`, `${item{...}...}`. Errors carry Exim's texts and
// the byte offset where they were found.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/ast.h"
#include "lang/status.h"

namespace lang {

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  // Parses text up to the end of input or, when `brace_ends`, up to an unescaped '}' (which is
  // left unconsumed). A missing '}' at the end is the caller's error to report.
  Status parse_template(Template& out, bool brace_ends);

  // Skips white space, requires '{', parses a template, requires '}'.
  // `what` is used in the error when '{' is missing.
  Status brace_arg(Template& out);

  // Exim's read_subs: reads between `min` and `max` brace arguments, skipping white space
  // before each. Too few: "Not enough arguments for 'NAME' (min is MIN)"; too many:
  // "Too many arguments for 'NAME' (max is MAX)". Does not consume the closing '}'.
  Status read_args(std::string_view name, int min, int max, std::vector<Template>& out);

  // Skips white space, requires '{', reads text up to the first unescaped '}' (consumed) in
  // which '$' and '{' are ordinary characters: only '\' escapes and \N...\N are interpreted
  // (Exim's honour_dollar off, for the list argument of match_domain & co).
  Status literal_arg(std::string& out);

  // Reads the yes/no part after a condition or lookup, through the item's closing '}'.
  // `item` names the item in the "fail" syntax error.
  Status yes_no(YesNo& out, std::string_view item = "if");

  // Parses a condition (after ${if or inside and{}/or{}), with leading '!'s.
  Status condition(CondPtr& out);

  // Skips white space, requires '}' closing item `name`; error "missing } at end of string"
  // at end of input, else "missing '}' after '<name>'".
  Status close_item(std::string_view name);

  // Low-level access.
  void skip_ws();
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  char peek_at(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void advance(size_t n = 1) { i_ += n; }
  bool consume(char c) {
    if (peek() != c || at_end()) return false;
    ++i_;
    return true;
  }
  bool consume_word(std::string_view w);  // consumes `w` when the input continues with it
  std::string_view read_name();           // [A-Za-z0-9_]*
  size_t pos() const { return i_; }
  void set_pos(size_t p) { i_ = p; }
  std::string_view text() const { return s_; }
  std::string_view rest() const { return s_.substr(i_ < s_.size() ? i_ : s_.size()); }
  Status error(std::string msg) const { return Status::error(std::move(msg), i_); }

  // Nesting of items/conditions while parsing; too deep is an error, not a stack overflow.
  int depth = 0;
  static constexpr int kMaxDepth = 200;

 private:
  Status parse_dollar(Template& out);
  Status parse_braced(Template& out, size_t start);
  Status parse_operator(std::string_view name, size_t start, NodePtr& out);
  void parse_backslash(std::string& lit);

  std::string_view s_;
  size_t i_ = 0;
};

// White space as the C locale's isspace() sees it, inline (for per-byte loops).
inline bool is_space_byte(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Helpers used by conditions: read exactly `n` brace arguments after condition `name`, with
// Exim's messages ("missing { after \"eq\"", "missing 2nd string in {} after \"eq\"").
Status parse_cond_args(Parser& p, std::string_view name, int n, std::vector<Template>& out);

}  // namespace lang

// lang/escapes.h — the backslash escapes of expansion strings (spec 11.2): \n \r \t \b \f \v,
// octal \ddd (up to three digits), hex \xhh (up to two digits); any other character stands for
// itself. Used by the parser and by the places that read quoted text "as in expansion strings"
// (${extract} values, lsearch keys, ${run} arguments).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lang {

struct EscapeRules {
  bool hex = true;          // \xhh is recognised (${run} arguments do not)
  bool bare_x_nul = false;  // "\x" without hex digits: a NUL (expansion strings) or the letter x
};

// Decodes the escape starting at s[i] (the character after the backslash; i < s.size()),
// appends it to `out` and returns the index after it.
size_t decode_escape(std::string_view s, size_t i, std::string& out, EscapeRules rules = {});

}  // namespace lang

// lang/numbers.h — Exim's reading of integers in expanded strings (numeric comparisons,
// ${if >{..}}, arithmetic arguments): optional white space and sign, decimal digits, an
// optional K/M/G multiplier, optional trailing white space. An empty string is 0.
#pragma once

#include <string_view>

#include "lang/status.h"

namespace lang {

// Errors: "integer expected but \"a\" found", "invalid integer \"3z\"",
// "absolute value of integer \"...\" is too large (overflow)".
Status parse_integer(std::string_view s, long long& out);

}  // namespace lang

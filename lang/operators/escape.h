// lang/operators/escape.h — Exim's "printing" form of a string (string_printing()), as
// ${escape:..} produces it; also used to show untrusted text inside error messages.
#pragma once

#include <string>
#include <string_view>

namespace lang {

// Non-printing bytes become \n \r \b \v \f or \ooo; tab and printable ASCII are kept.
std::string escape_printing(std::string_view s);

// Appends `a` in double quotes, with `"` and `\` backslashed and CR/LF written as \r and \n
// (the quoted form of ${quote:} and ${quote_local_part:}).
void append_double_quoted(std::string_view a, std::string& out);

}  // namespace lang

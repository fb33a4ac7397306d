// util/utf8.h — strict UTF-8 decoding and encoding (RFC 3629), no mail knowledge.
//
// utf8_decode accepts exactly the well-formed sequences of RFC 3629 section 4: no overlong
// forms, no surrogates, nothing above U+10FFFF. It reports whether a bad string is invalid
// (a byte that cannot be where it is) or only cut short at the end, the distinction iconv
// makes with EILSEQ and EINVAL.
#pragma once

#include <string>
#include <string_view>

namespace util {

enum class Utf8Status : unsigned char { Ok, Invalid, Truncated };

// Decodes `s` into code points. On failure `out` holds the code points before the bad byte.
Utf8Status utf8_decode(std::string_view s, std::u32string& out);
// Appends the UTF-8 encoding of `cp` (which must be a valid scalar value).
void utf8_append(char32_t cp, std::string& out);
std::string utf8_encode(std::u32string_view s);
// True when every byte is below 0x80.
bool is_ascii(std::string_view s);

}  // namespace util

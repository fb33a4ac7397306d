// util/punycode.h — Punycode (RFC 3492), the encoding behind IDNA A-labels ("xn--...").
//
// punycode_encode never fails for code points up to U+10FFFF (it returns false only on
// arithmetic overflow, which needs absurdly long input). punycode_decode returns false for
// input that is not valid Punycode (a non-basic character, a bad digit, a truncated number,
// overflow, or a code point above U+10FFFF). Case of the basic characters is kept.
#pragma once

#include <string>
#include <string_view>

namespace util {

bool punycode_encode(std::u32string_view in, std::string& out);
bool punycode_decode(std::string_view in, std::u32string& out);

}  // namespace util

// util/punycode.h — Punycode (RFC 3492), the encoding behind IDNA A-labels ("xn--...").
//
// punycode_encode fails only on arithmetic overflow. punycode_decode fails on input that is
// not valid Punycode (a non-basic character, a bad digit, a truncated number, overflow, or a
// code point above U+10FFFF). Both refuse input longer than 4096 characters (the algorithms
// are quadratic; real labels have at most 63 octets). Case of the basic characters is kept.
#pragma once

#include <string>
#include <string_view>

namespace util {

bool punycode_encode(std::u32string_view in, std::string& out);
bool punycode_decode(std::string_view in, std::u32string& out);

}  // namespace util

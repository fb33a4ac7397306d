// util/base64.h — base64 (RFC 4648 section 4) and hex encoders/decoders, no mail knowledge.
//
// Contract: encoders never fail. Decoders return false on malformed input and leave `out`
// holding whatever was decoded so far (callers discard it). base64_decode accepts only the
// canonical padded form: groups of four characters, '=' only in the last group ("xx==" or
// "xxx="); with `skip_space` white space anywhere is ignored, as Exim's ${base64d:} does.
// Decoders never read outside their input, whatever bytes it holds.
#pragma once

#include <string>
#include <string_view>

namespace util {

std::string base64_encode(std::string_view data);
bool base64_decode(std::string_view text, std::string& out, bool skip_space = false);

// Two hex digits per byte, lower or upper case letters.
std::string hex_encode(std::string_view data, bool upper = false);
// Accepts upper and lower case digits; false on an odd length or a non-hex character.
bool hex_decode(std::string_view text, std::string& out);
// Value of one hex digit, or -1.
int hex_digit_value(char c);

}  // namespace util

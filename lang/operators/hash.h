// lang/operators/hash.h — the text functions shared by the operator forms (${hash_3:..},
// ${substr_1_2:..}, ${length_3:..}, ${nhash_5:..}) and the item forms (${hash{3}{..}},
// ${substr{1}{2}{..}} ...), spec 11.5 and 11.6.
//
// Contract: each function appends its result to `out`. Numbers are already read; `m` or `len`
// < 0 means "not given". Failures are Exim's messages ("hash count \"63\" too big").
// All measurement is in bytes.
#pragma once

#include <string>
#include <string_view>

#include "lang/status.h"

namespace lang::text {

// ${hash}: n characters drawn from the first m of a-zA-Z0-9 (m defaults to 26).
Status hash(std::string_view s, long n, long m, std::string& out);
// ${nhash}: a number below n, or "a/b" with a < n and b < m.
Status nhash(std::string_view s, long n, long m, std::string& out);
// ${substr}: a negative offset counts from the end (spec 11.5, "substr").
void substr(std::string_view s, long offset, long len, std::string& out);
// ${length}: the first n bytes.
void length(std::string_view s, long n, std::string& out);

// Reads a number as C's strtol does, requiring the whole string to be used; an empty string
// is 0. False when it is not a number.
bool read_long(std::string_view s, long& out);

}  // namespace lang::text

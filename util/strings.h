// util/strings.h — small string helpers used across the tree (no mail knowledge).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace util {

std::string_view trim(std::string_view s);             // removes leading and trailing white space
std::string to_lower(std::string_view s);              // ASCII only
std::string to_upper(std::string_view s);              // ASCII only
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive equality
bool starts_with_ci(std::string_view s, std::string_view prefix);
// A time interval as Exim writes it: "1h30m", "2d", "5s" (units w d h m s, each number with
// its unit); false for anything else or beyond INT32_MAX seconds.
bool parse_time_interval(std::string_view s, long long& seconds);
// The lines of `text` without their newlines (a final newline starts no empty line).
std::vector<std::string_view> split_lines(std::string_view text);
// How many times `c` occurs in `s` (memchr-based: fast on message bodies).
size_t count_byte(std::string_view s, char c);
// strerror() of errno values, thread-safe.
std::string errno_text(int err);

}  // namespace util

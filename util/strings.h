// util/strings.h — small string helpers used across the tree (no mail knowledge).
#pragma once

#include <string>
#include <string_view>

namespace util {

std::string_view trim(std::string_view s);             // removes leading and trailing white space
std::string to_lower(std::string_view s);              // ASCII only
std::string to_upper(std::string_view s);              // ASCII only
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive equality
bool starts_with_ci(std::string_view s, std::string_view prefix);
// strerror() of errno values, thread-safe.
std::string errno_text(int err);

}  // namespace util

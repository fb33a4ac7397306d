// engine/config/values.h — reading and printing the typed values of configuration options
// (spec chapter 6, sections 6.12-6.19: booleans, integers, fixed-point numbers, time
// intervals, quoted strings).
//
// Every reader takes the option name for its message and returns an empty string on success,
// else Exim's error text ("integer expected for recipients_max", "invalid time value for
// auto_thaw" ...). Readers never throw and accept any bytes. The printers give Exim's -bP form.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace engine::config {

// "true"/"yes" -> true, "false"/"no" -> false (case-insensitive); anything else is an error:
// "\"maybe\" is not a valid value for the \"queue_only\" option".
std::string read_bool(std::string_view s, std::string_view name, bool& out);

// Decimal, 0x hex or leading-0 octal, optional sign, optional K/M/G multiplier.
// `max` bounds the absolute value (Exim's int options are 32 bits).
std::string read_integer(std::string_view s, std::string_view name, int64_t& out,
                         int64_t max = INT32_MAX);

// Fixed-point with up to three decimals, kept as thousandths (1.5 -> 1500).
std::string read_fixed(std::string_view s, std::string_view name, int64_t& out);

// A time interval "1h30m", "2d", "1w3d"; units s m h d w; result in seconds.
// Returns false when the text is not a valid time (no message).
bool parse_time(std::string_view s, int64_t& seconds);
std::string read_time(std::string_view s, std::string_view name, int64_t& out);
// A colon-separated list of increasing times (delay_warning).
std::string read_time_list(std::string_view s, std::string_view name, std::vector<int64_t>& out);

// Exim's quoted-string rule (6.17): a value starting with '"' must end with '"'; inside, \\ \n
// \r \t \ooo \xhh and \c are escapes. Unquoted values are returned as they are.
// `offsets`, when given, receives for each output byte the offset of its source byte in `s`.
std::string read_string(std::string_view s, std::string_view name, std::string& out,
                        std::vector<size_t>* offsets = nullptr);

// Printers in Exim's -bP format.
std::string format_time(int64_t seconds);       // 5400 -> "1h30m", 0 -> "0s"
std::string format_size(int64_t bytes);         // 102400 -> "100K", 1500 -> "1500"
std::string format_size_k(int64_t kilobytes);   // 10240 -> "10M", 1500 -> "1500K"
std::string format_fixed(int64_t thousandths);  // 1500 -> "1.5", 2000 -> "2"

}  // namespace engine::config

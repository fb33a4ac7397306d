// engine/config/main_options.h — the typed table of main-section options (spec chapter 14,
// "Main configuration"), and typed access to their values.
//
// Each option has a type (how its value is read and printed), whether it is string-expanded
// when used (those are compiled at read time so syntax errors show up in -bV), and its default
// in the form -bP prints it ("" = unset). find_main_option() returns null for unknown names;
// suggest_main_option() offers the nearest known name for "did you mean" hints.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine::config {

struct Config;

enum class OptType : unsigned char {
  Bool,
  Int,       // decimal / 0x hex / 0 octal, K M G multipliers
  Octal,     // an Int shown in octal with a leading 0 (modemask, umask)
  Size,      // an Int printed with K or M when a multiple (bounce_return_size_limit)
  SizeK,     // an Int counted in kilobytes (check_spool_space: "10M", bare numbers are K)
  Fixed,     // fixed-point, three decimals
  Time,      // 1h30m
  TimeList,  // 1h:1d (increasing)
  String,
  List,  // string, domain, host or address list
  Uid,
  Gid,
  UidList,
  GidList,
};

struct MainOption {
  std::string_view name;
  OptType type;
  bool expanded;
  std::string_view dflt;
};

// All main options, sorted by name.
std::span<const MainOption> main_options();
const MainOption* find_main_option(std::string_view name);
// The closest known option name (Damerau-Levenshtein distance within a third of the length),
// or "" when nothing is close.
std::string suggest_main_option(std::string_view name);

// Checks `value` (already unquoted) against the option's type; returns Exim's error text or "".
std::string check_main_value(const MainOption& opt, std::string_view value);

// The value -bP prints after "name = " (or "true"/"false" for booleans), from the setting in
// `cfg` or the default.
std::string main_option_display(const Config& cfg, const MainOption& opt);
// The same for a given (unquoted) value of an option of that type: driver options use it.
std::string option_value_display(const MainOption& opt, const std::string& value);

// Typed accessors: the configured value, else the default. Unknown names give 0 / "" / false.
bool main_bool(const Config& cfg, std::string_view name);
int64_t main_int(const Config& cfg,
                 std::string_view name);  // Int, Size, SizeK (in K), Fixed (x1000)
int64_t main_time(const Config& cfg, std::string_view name);  // seconds
std::string main_string(const Config& cfg, std::string_view name);

}  // namespace engine::config

// lang/operators/time.cpp — ${time_eval:..} and ${time_interval:..} (spec 11.6).
//
// time_eval reads an Exim time interval ("1w2d3h4m5s": one or more <digits><unit> pairs,
// units w d h m s, no white space) into seconds. time_interval prints a number of seconds in
// that form ("1w1d1h1m1s", "0s"). Exim does this arithmetic in a C int; the 32-bit wrap-around
// is kept so that out-of-range values fail (or print) as they do in Exim.
// Errors: "string \"x\" is not an Exim time interval in \"time_eval\" operator",
// "string \"x\" is not a positive number in \"time_interval\" operator".
#include <cctype>
#include <cstdint>

#include "lang/registry.h"

namespace lang {
namespace {

int32_t wrap32(int64_t v) {
  return static_cast<int32_t>(static_cast<uint32_t>(v));
}
int32_t mul32(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

// Reads one <digits> as strtol would (saturating at the 64-bit limit), then narrows to int.
int32_t read_count(std::string_view s, size_t& i) {
  int64_t v = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    int d = s[i] - '0';
    v = v > (INT64_MAX - d) / 10 ? INT64_MAX : v * 10 + d;
  }
  return wrap32(v);
}

// Returns false when `s` is not a time interval. The value may be negative after wrap-around.
bool parse_interval(std::string_view s, int32_t& total) {
  total = 0;
  size_t i = 0;
  do {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    int32_t v = read_count(s, i);
    if (i >= s.size()) return false;
    switch (s[i++]) {
      case 'w':
        v = mul32(v, 7 * 24 * 3600);
        break;
      case 'd':
        v = mul32(v, 24 * 3600);
        break;
      case 'h':
        v = mul32(v, 3600);
        break;
      case 'm':
        v = mul32(v, 60);
        break;
      case 's':
        break;
      default:
        return false;
    }
    total = wrap32(static_cast<int64_t>(total) + v);
  } while (i < s.size());
  return true;
}

Status op_time_eval(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  int32_t n = 0;
  if (!parse_interval(a, n) || n < 0) {
    return Status::error("string \"" + std::string(a) +
                         "\" is not an Exim time interval in \"time_eval\" operator");
  }
  out += std::to_string(n);
  return Status::ok();
}

// Exim's time format: "1w2d3h4m5s", "0s"; a negative value gets a leading '-'.
std::string time_format(int64_t t) {
  std::string r;
  if (t < 0) {
    r += '-';
    t = -t;
  }
  const struct {
    int64_t secs;
    char unit;
  } units[] = {{604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& u : units) {
    int64_t n = t / u.secs;
    t %= u.secs;
    if (n > 0) r += std::to_string(n) + u.unit;
  }
  if (r.empty() || r == "-") r += "0s";
  return r;
}

Status op_time_interval(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  uint32_t n = 0;
  for (char c : a) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return Status::error("string \"" + std::string(a) +
                           "\" is not a positive number in \"time_interval\" operator");
    }
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  out += time_format(static_cast<int32_t>(n));
  return Status::ok();
}

const OperatorRegistrar reg({
    {"time_eval", op_time_eval},
    {"time_interval", op_time_interval},
});

}  // namespace
}  // namespace lang

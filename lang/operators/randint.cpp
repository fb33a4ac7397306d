// lang/operators/randint.cpp — ${randint:<n>} (spec 11.6): a random integer in 0..n-1
// (0 when n is 0 or 1). The argument is read as Exim reads integers (K/M/G suffixes).
// Errors: "integer expected but \"\" found" (only white space reads as 0), "non-negative integer
// expected but \"-5\" found", and those of lang::parse_integer. Not for keying material.
#include <random>

#include "lang/numbers.h"
#include "lang/registry.h"

namespace lang {
namespace {

Status op_randint(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  if (a.empty()) {
    return Status::error("integer expected but \"" + std::string(a) + "\" found");
  }
  long long max = 0;
  LANG_TRY(parse_integer(a, max));
  if (max < 0) {
    return Status::error("non-negative integer expected but \"" + std::string(a) + "\" found");
  }
  if (max <= 1) {
    out += '0';
    return Status::ok();
  }
  thread_local std::mt19937_64 gen{std::random_device{}()};  // one per thread: no data race
  std::uniform_int_distribution<long long> dist(0, max - 1);
  out += std::to_string(dist(gen));
  return Status::ok();
}

const OperatorRegistrar reg({{"randint", op_randint}});

}  // namespace
}  // namespace lang

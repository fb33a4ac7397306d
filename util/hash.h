// util/hash.h — FNV-1a, a small non-cryptographic 64-bit hash: record checksums in the hints
// databases and the unique= event sets of ratelimit. Not for anything an attacker may choose
// to collide where that would matter.
#pragma once

#include <cstdint>
#include <string_view>

namespace util {

constexpr uint64_t kFnvOffset = 1469598103934665603ull;

// FNV-1a of `s`, continuing from `h` (start with kFnvOffset).
constexpr uint64_t fnv1a64(std::string_view s, uint64_t h = kFnvOffset) {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

}  // namespace util

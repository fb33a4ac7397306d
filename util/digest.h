// util/digest.h — message digests and HMAC through OpenSSL 3 EVP, and constant-time compare.
//
// Contract: digest() and hmac() return the raw digest bytes (16 for MD5, 20 for SHA-1 ...).
// They return an empty string only if OpenSSL itself fails (no provider, out of memory);
// callers report that as an error. equal_ct() takes the same time for any two strings of a
// given length, so digests and password hashes can be compared without leaking where they
// differ (the length itself is not secret).
#pragma once

#include <string>
#include <string_view>

namespace util {

enum class DigestAlgo : unsigned char {
  Md5,
  Sha1,
  Sha256,
  Sha384,
  Sha512,
  Sha3_224,
  Sha3_256,
  Sha3_384,
  Sha3_512,
};

std::string digest(DigestAlgo algo, std::string_view data);
std::string hmac(DigestAlgo algo, std::string_view key, std::string_view data);
bool equal_ct(std::string_view a, std::string_view b);

}  // namespace util

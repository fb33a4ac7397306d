#include <doctest/doctest.h>

#include <ctime>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}
// Today's SRS timestamp, worked out independently of the implementation.
std::string stamp() {
  const char* b32 = "abcdefghijklmnopqrstuvwxyz234567";
  long d = (static_cast<long>(std::time(nullptr)) / 86400) % 1024;
  std::string r;
  if (d >= 32) r += b32[d / 32];
  if (d > 0) r += b32[d % 32];
  return r;
}
}  // namespace

// Hashes from the reference exim4 (4.96).
TEST_SUITE("lang.items.srs_encode") {
  TEST_CASE("srs_encode") {
    CHECK(ex("${srs_encode{secret}{User@Example.org}{example.com}}") ==
          "SRS0=fbad=" + stamp() + "=Example.org=User@example.com");
    CHECK(ex("${srs_encode{secret}{\"a b\"@x.org}{example.com}}") ==
          "\"SRS0=1930=" + stamp() + "=x.org=a b\"@example.com");
    CHECK(ex("${srs_encode{secret}{<a@b>}{example.com}}") ==
          "SRS0=2b67=" + stamp() + "=b=a@example.com");
    CHECK(ex("${srs_encode{secret}{nodomain}{example.com}}") ==
          "SRS0=a1a7=" + stamp() + "==nodomain@example.com");
    CHECK(ex("${srs_encode{secret}{}{example.com}}").empty());
  }
  TEST_CASE("errors") {
    CHECK(ex("${srs_encode{secret}{a@}{example.com}}") == "Failed: domain missing or malformed");
    CHECK(ex("${srs_encode{secret}{ }{example.com}}") == "Failed: empty address");
    CHECK(ex("${srs_encode{a}{b}}") == "Failed: Not enough arguments for 'srs_encode' (min is 3)");
  }
}

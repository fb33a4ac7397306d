#include <doctest/doctest.h>

#include <ctime>

#include "lang/expand.h"

namespace {
std::string ex(std::string_view s, lang::EvalContext& ctx) {
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  if (!st.is_ok()) return "Failed: " + st.message();
  return out;
}
std::string ex(std::string_view s) {
  lang::EvalContext ctx;
  return ex(s, ctx);
}
// The expiry daystamp of a signature made today.
std::string daystamp() {
  long d = (static_cast<long>(std::time(nullptr) / 86400) + 7) % 1000;
  std::string s = std::to_string(d);
  return std::string(3 - s.size(), '0') + s;
}
}  // namespace

TEST_SUITE("lang.items.prvs") {
  TEST_CASE("signing: HMAC-SHA1 of keynum, daystamp and address") {
    // Worked out with: printf '0%suser@example.com' DDD | openssl dgst -sha1 -hmac secret
    std::string got = ex("${prvs{user@example.com}{secret}}");
    REQUIRE(got.size() == std::string("prvs=0DDDhhhhhh=user@example.com").size());
    CHECK(got.substr(0, 9) == "prvs=0" + daystamp());
    CHECK(got.substr(15) == "=user@example.com");
    CHECK(ex("${prvs{user@example.com}{secret}{3}}").substr(0, 6) == "prvs=3");
  }
  TEST_CASE("errors") {
    CHECK(ex("${prvs{userx@test.ex}{secret}{12}}") ==
          "Failed: prvs third argument must be a single digit");
    CHECK(ex("${prvs{userx@test.ex}{secret}{}}") ==
          "Failed: prvs third argument must be a single digit");
    CHECK(ex("${prvs{notanaddress}{secret}}") ==
          "Failed: prvs first argument must be a qualified email address");
    CHECK(ex("${prvs{a@}{secret}}") ==
          "Failed: prvs first argument must be a qualified email address");
    CHECK(ex("${prvscheck{a}}") == "Failed: Not enough arguments for 'prvscheck' (min is 1)");
    CHECK(ex("${prvscheck{a}{b}{c}{d}}") ==
          "Failed: Too many arguments for 'prvscheck' (max is 2)");
  }
  TEST_CASE("checking") {
    lang::EvalContext ctx;
    CHECK(ex("${prvscheck{${prvs{user@example.com}{secret}}}{secret}}", ctx) == "user@example.com");
    CHECK(ex("${prvscheck{${prvs{user@example.com}{secret}{3}}}{secret}{[$prvscheck_address]["
             "$prvscheck_keynum][$prvscheck_result]}}",
             ctx) == "[user@example.com][3][1]");
    // The address and key number are visible to the secret, and unset afterwards.
    CHECK(ex("${prvscheck{${prvs{a@b}{s}{5}}}{${if eq{$prvscheck_address/$prvscheck_keynum}{a@b/"
             "5}{s}{t}}}{[$prvscheck_result]}}[$prvscheck_address]",
             ctx) == "[1][]");
    CHECK(ex("${prvscheck{${prvs{user@example.com}{secret}}}{wrong}{[$prvscheck_result]}}", ctx) ==
          "[]");
    CHECK(ex(">${prvscheck{user@example.com}{secret}}<", ctx) == "><");
    CHECK(ex(">${prvscheck{prvs=0788a564=a@b}{s}{x}}<", ctx) == "><");
    // An expired day stamp (in the past) fails the check.
    long past = (static_cast<long>(std::time(nullptr) / 86400) + 990) % 1000;
    std::string stamp = std::to_string(past);
    stamp = std::string(3 - stamp.size(), '0') + stamp;
    CHECK(ex("${prvscheck{prvs=0" + stamp + "abcdef=a@b}{s}{[$prvscheck_result]}}", ctx) == "[]");
  }
}

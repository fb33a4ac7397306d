#include <doctest/doctest.h>

#include <ctime>

#include "tests/lang/expand_helper.h"

using testlang::ex;

namespace {
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
    CHECK(ex(ctx, "${prvscheck{${prvs{user@example.com}{secret}}}{secret}}") == "user@example.com");
    CHECK(ex(ctx,
             "${prvscheck{${prvs{user@example.com}{secret}{3}}}{secret}{[$prvscheck_address]["
             "$prvscheck_keynum][$prvscheck_result]}}") == "[user@example.com][3][1]");
    // The address and key number are visible to the secret, and unset afterwards.
    CHECK(ex(ctx,
             "${prvscheck{${prvs{a@b}{s}{5}}}{${if eq{$prvscheck_address/$prvscheck_keynum}{a@b/"
             "5}{s}{t}}}{[$prvscheck_result]}}[$prvscheck_address]") == "[1][]");
    CHECK(ex(ctx, "${prvscheck{${prvs{user@example.com}{secret}}}{wrong}{[$prvscheck_result]}}") ==
          "[]");
    CHECK(ex(ctx, ">${prvscheck{user@example.com}{secret}}<") == "><");
    CHECK(ex(ctx, ">${prvscheck{prvs=0788a564=a@b}{s}{x}}<") == "><");
    // An expired day stamp (in the past) fails the check.
    long past = (static_cast<long>(std::time(nullptr) / 86400) + 990) % 1000;
    std::string stamp = std::to_string(past);
    stamp = std::string(3 - stamp.size(), '0') + stamp;
    CHECK(ex(ctx, "${prvscheck{prvs=0" + stamp + "abcdef=a@b}{s}{[$prvscheck_result]}}") == "[]");
  }
}

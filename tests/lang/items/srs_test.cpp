#include <doctest/doctest.h>

#include <ctime>

#include "tests/lang/expand_helper.h"

using testlang::ex;

// Hashes from the reference exim4 -be (they do not depend on the date).
TEST_SUITE("lang.items.srs") {
  TEST_CASE("srs_encode") {
    struct {
      const char* in;
      const char* head;  // before the timestamp
      const char* tail;  // after it
    } cases[] = {
        {"${srs_encode{secret}{user@example.org}{example.com}}",
         "SRS0=fbad=", "=example.org=user@example.com"},
        {"${srs_encode{secret}{User@Example.ORG}{example.com}}",
         "SRS0=fbad=", "=Example.ORG=User@example.com"},
        {"${srs_encode{secret}{<a@b>}{example.com}}", "SRS0=2b67=", "=b=a@example.com"},
        {"${srs_encode{secret}{Fred Bloggs <a@b>}{example.com}}", "SRS0=75b6=", "=b=a@example.com"},
        {"${srs_encode{secret}{noat}{example.com}}", "SRS0=ce04=", "==noat@example.com"},
        {"${srs_encode{secret}{\"a b\"@b}{example.com}}", "\"SRS0=9c57=", "=b=a b\"@example.com"},
    };
    for (auto& c : cases) {
      std::string got = ex(c.in);
      std::string head = c.head, tail = c.tail;
      REQUIRE_MESSAGE(got.size() == head.size() + 2 + tail.size(), "got: ", got);
      CHECK(got.substr(0, head.size()) == head);
      CHECK(got.substr(head.size() + 2) == tail);
    }
    CHECK(ex("${srs_encode{secret}{}{example.com}}").empty());
    CHECK(ex("${srs_encode{secret}{@b}{x}}") == "Failed: no local part");
    CHECK(ex("${srs_encode{secret}{a@}{x}}") == "Failed: domain missing or malformed");
    CHECK(ex("${srs_encode{secret}{a@b@c}{x}}") ==
          "Failed: malformed address: @c may not follow a@b");
  }
  TEST_CASE("inbound_srs") {
    std::string enc = ex("${srs_encode{secret}{User@Example.org}{example.com}}");
    std::string lp = enc.substr(0, enc.rfind('@'));
    CHECK(ex("${if inbound_srs{" + lp + "}{secret}{[$srs_recipient]}{no}}") ==
          "[user@example.org]");
    CHECK(ex("${if inbound_srs{" + lp + "}{wrong}{[$srs_recipient]}{no}}") == "no");
    // With an empty secret only the shape counts.
    CHECK(ex("${if inbound_srs{SRS0=xxxx=JN=ex=ample.org=user}{}{[$srs_recipient]}{no}}") ==
          "[ample.org=user@ex]");
    CHECK(ex("${if inbound_srs{SRS0=x=jn=example.org=us er}{}{[$srs_recipient]}{no}}") ==
          "[\"us er\"@example.org]");
    CHECK(ex("${if inbound_srs{SRS0=fbad=j1=example.org=user}{}{y}{n}}") == "n");
    CHECK(ex("${if inbound_srs{SRS0==jn=example.org=user}{}{y}{n}}") == "n");
    CHECK(ex("${if inbound_srs{plainuser}{secret}{srs}{not srs}}") == "not srs");
    // A timestamp 20 days old fails once there is a secret.
    long t = (static_cast<long>(std::time(nullptr) / 86400) - 20 + 1024) % 1024;
    const char* b32 = "abcdefghijklmnopqrstuvwxyz234567";
    std::string old = lp.substr(0, 10) + b32[t / 32] + b32[t % 32] + lp.substr(12);
    CHECK(ex("${if inbound_srs{" + old + "}{secret}{y}{n}}") == "n");
  }
}

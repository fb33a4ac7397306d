#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.conditions.isip") {
  TEST_CASE("isip, isip4, isip6") {
    struct {
      const char* addr;
      const char* want;  // isip, isip4, isip6
    } cases[] = {
        {"1.2.3.4", "y4-"},    {"::1", "y-6"},           {"1.2.3.256", "n--"},
        {"1:2:3:4", "n--"},    {"fe80::1.2.3.4", "y-6"}, {"", "n--"},
        {"1.2.3.4/24", "n--"}, {"fe80::1%eth0", "y-6"},  {"1.2.3.4%x", "n--"},
        {"rhubarb", "n--"},    {" 1.2.3.4", "n--"},
    };
    for (const auto& c : cases) {
      std::string a = c.addr;
      std::string in =
          "${if isip{" + a + "}{y}{n}}${if isip4{" + a + "}{4}{-}}${if isip6{" + a + "}{6}{-}}";
      CHECK_MESSAGE(ex(in) == c.want, "address: ", c.addr);
    }
    CHECK(ex("${if isip{1.2.3.4}}") == "true");
    CHECK(ex("${if isip}").rfind("Failed: missing { after \"isip\"", 0) == 0);
  }
}

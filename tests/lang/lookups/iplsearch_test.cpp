#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.iplsearch") {
  TEST_CASE("networks, first match, address families") {
    testfiles::TempDir d;
    std::string f = d.write("nets",
                            "192.168.1.10: host\n192.168.1.0/24: lan\n10.0.0.0/8 ten\n"
                            "1.2.3.0/33: capped\n9.9.9.9/x: skipped\n\"2001:db8::/32\": v6\n"
                            "\"::/0\" all6\n5.5.5.5/: all4\n");
    struct {
      const char *key, *want;
    } cases[] = {
        {"192.168.1.10", "host"},   {"192.168.1.11", "lan"}, {"10.20.30.40", "ten"},
        {"1.2.3.0", "capped"},      {"1.2.3.1", "all4"},  // /33 acts as /32; "/" alone as /0
        {"::ffff:10.1.1.1", "ten"}, {"2001:db8::5", "v6"},   {"fe80::1%eth0", "all6"},
        {"9.9.9.9", "all4"},
    };
    for (auto& c : cases) {
      std::string q = std::string("${lookup{") + c.key + "}iplsearch{" + f + "}}";
      CHECK_MESSAGE(ex(q) == c.want, "key: ", c.key);
    }
    CHECK(ex("${lookup{192.168.1.10}iplsearch,ret=full{" + f + "}}") == "192.168.1.10: host");
  }

  TEST_CASE("keys that are not addresses defer") {
    testfiles::TempDir d;
    std::string f = d.write("nets", "10.0.0.0/8 ten\n");
    for (const char* k : {"rhubarb", "10.0.0.1/8", "1.2.3"}) {
      std::string got = ex(std::string("${lookup{") + k + "}iplsearch{" + f + "}}");
      CHECK_MESSAGE(got.find("is not a valid iplsearch key") != std::string::npos, "key: ", k);
    }
  }
}

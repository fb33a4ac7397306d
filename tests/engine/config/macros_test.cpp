#include "engine/config/macros.h"

#include <doctest/doctest.h>

using namespace engine::config;

namespace {
std::string sub(const MacroTable& t, std::string line, bool start = false) {
  t.substitute(line, start);
  return line;
}
}  // namespace

TEST_SUITE("engine.config.macros") {
  TEST_CASE("substitution anywhere in the line, in definition order") {
    MacroTable t;
    REQUIRE(t.define("AB", "x", false).empty());
    CHECK(sub(t, "v = CAB.xAB.AB_C.AB1.1AB._AB.-AB-") == "v = Cx.xx.x_C.x1.1x._x.-x-");
    REQUIRE(t.define("CD", "AB y", false).empty());
    CHECK(sub(t, "CD") == "AB y");  // AB was defined before CD: not rescanned
    MacroTable u;
    REQUIRE(u.define("CD", "AB y", false).empty());
    REQUIRE(u.define("AB", "x", false).empty());
    CHECK(sub(u, "CD") == "x y");  // AB defined later: scanned in the replacement
    CHECK(sub(u, "no macros here") == "no macros here");
  }
  TEST_CASE("definition lines keep their name") {
    MacroTable t;
    REQUIRE(t.define("AB", "x", false).empty());
    CHECK(sub(t, "AB == AB AB", true) == "AB == x x");
    CHECK(sub(t, "AB == AB AB", false) == "x == x x");
  }
  TEST_CASE("definition rules") {
    MacroTable t;
    CHECK(t.define("AB", "1", false).empty());
    CHECK(t.define("AB", "2", false) ==
          "macro \"AB\" is already defined (use \"==\" if you want to redefine it)");
    CHECK(t.define("AB", "3", true).empty());
    CHECK(t.find("AB")->value == "3");
    CHECK(t.define("ABC", "1", false) ==
          "\"ABC\" cannot be defined as a macro because previously defined macro \"AB\" is a "
          "substring");
    CHECK(t.define("XY", "1", true) == "can't redefine an undefined macro \"XY\"");
    CHECK(t.define("MY_HAVE_TLS", "1", false).find("\"_HAVE_TLS\" is a substring") !=
          std::string::npos);
  }
  TEST_CASE("command-line macros win") {
    MacroTable t;
    t.define_cmdline("AB", "cmd");
    CHECK(t.define("AB", "file", false).empty());
    CHECK(t.define("AB", "again", true).empty());
    CHECK(sub(t, "AB") == "cmd");
  }
  TEST_CASE("built-in macros only after an underscore candidate") {
    MacroTable t;
    CHECK(t.find("_HAVE_TLS") != nullptr);
    CHECK(t.find("_OPT_MAIN_QUEUE_ONLY") != nullptr);
    CHECK(t.find("_DRIVER_ROUTER_ACCEPT") != nullptr);
    CHECK(sub(t, ".ifdef _HAVE_TLS") == ".ifdef y");
    CHECK(t.substitute(*std::make_unique<std::string>("_HAVE_NOTHING_LIKE_THIS"), false) == false);
  }
}

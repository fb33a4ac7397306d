// Line markers (#line): parsing, formatting, and how the reader attributes lines after them.
#include "engine/config/source.h"

#include <doctest/doctest.h>

#include "engine/config/config.h"

using namespace engine::config;

namespace {

std::string error_of(std::string_view text) {
  auto r = read_string(text, "gen.conf");
  return r ? "(no error)" : format_error(r.error());
}

}  // namespace

TEST_SUITE("engine.config.source") {
  TEST_CASE("parse_line_marker: the three forms and what is only a comment") {
    struct {
      const char* text;
      bool is_marker;
      int line;
      const char* file;
      bool reset;
    } cases[] = {
        {"#line 14 \"conf.d/router/200_primary\"", true, 14, "conf.d/router/200_primary", false},
        {"#line 7", true, 7, "", false},
        {"#line default", true, 0, "", true},
        {"#line  3   \"a b\"  ", true, 3, "a b", false},
        {"#line 2 \"with \\\"quote\\\" and \\\\\"", true, 2, "with \"quote\" and \\", false},
        {"#line 0", false, 0, "", false},
        {"#line", false, 0, "", false},
        {"#line x \"f\"", false, 0, "", false},
        {"#line 3 f", false, 0, "", false},
        {"#line 3 \"\"", false, 0, "", false},
        {"#line 3 \"a\" b\"", false, 0, "", false},
        {"# line 3 \"f\"", false, 0, "", false},
        {" #line 3", false, 0, "", false},
        {"#lines 3", false, 0, "", false},
        {"#line 99999999999", false, 0, "", false},
    };
    for (const auto& c : cases) {
      LineMarker m;
      bool got = parse_line_marker(c.text, m);
      CHECK_MESSAGE(got == c.is_marker, c.text);
      if (!got || !c.is_marker) continue;
      CHECK_MESSAGE(m.line == c.line, c.text);
      CHECK_MESSAGE(m.file == c.file, c.text);
      CHECK_MESSAGE(m.reset == c.reset, c.text);
    }
  }

  TEST_CASE("format_line_marker round-trips through parse_line_marker") {
    CHECK(format_line_marker(5) == "#line 5");
    CHECK(format_line_marker(5, "a/b") == "#line 5 \"a/b\"");
    CHECK(format_line_marker(1, "q\"b\\") == "#line 1 \"q\\\"b\\\\\"");
    CHECK(format_line_marker(1, "new\nline") == "#line 1 \"new?line\"");
    for (std::string name : {"conf.d/main/00_x", "we\"ird", "back\\slash", "x"}) {
      LineMarker m;
      REQUIRE(parse_line_marker(format_line_marker(42, name), m));
      CHECK(m.line == 42);
      CHECK(m.file == name);
    }
  }

  TEST_CASE("lines after a marker belong to the named file, until #line default") {
    CHECK(error_of("#line 14 \"conf.d/router/200_primary\"\nbogus_option = 1\n") ==
          "conf.d/router/200_primary:14: main option \"bogus_option\" unknown");
    // `#line N` keeps the file; blank and comment lines count.
    CHECK(error_of("#line 3 \"f\"\n\n# c\n#line 20\n\nbogus = 1\n") ==
          "f:21: main option \"bogus\" unknown");
    // Back to the generated file's own numbering: the marker lines count as lines.
    CHECK(error_of("#line 3 \"f\"\nqueue_only\n#line default\nbogus = 1\n") ==
          "gen.conf:4: main option \"bogus\" unknown");
    // Columns still point into the fragment's line.
    CHECK(error_of("#line 9 \"frag\"\ndomainlist d = ${lc:x\n").starts_with("frag:9:22: "));
  }

  TEST_CASE("markers are honoured inside skipped conditionals and continued lines") {
    CHECK(error_of(".ifdef NOPE\n#line 50 \"f\"\n.endif\nbogus = 1\n") ==
          "f:51: main option \"bogus\" unknown");
    auto r = read_string("qualify_domain = a\\\n#line 7 \"f\"\n  .b\n", "gen.conf");
    REQUIRE(r);
    CHECK(r->find_main("qualify_domain")->value == "a.b");
  }

  TEST_CASE("macro names inside a marker's file name are not substituted") {
    CHECK(error_of("MAIN = x\n#line 2 \"conf.d/MAIN/01\"\nbogus = 1\n") ==
          "conf.d/MAIN/01:2: main option \"bogus\" unknown");
  }

  TEST_CASE("a missing .endif is reported at the last line read, in the fragment") {
    CHECK(error_of("#line 4 \"frag\"\n.ifdef X\n\n") ==
          "frag:5: Unexpected end of configuration file: .endif missing");
  }
}

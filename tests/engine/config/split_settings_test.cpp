#include "engine/config/split_settings.h"

#include <doctest/doctest.h>

using namespace engine::config;

namespace {

SplitSettings parse(std::string_view text, Diagnostics& d) {
  return parse_split_settings(text, "ue4cc", d);
}

}  // namespace

TEST_SUITE("engine.config.split_settings") {
  TEST_CASE("quoting forms, as the shell reads them") {
    struct {
      const char* text;
      const char* want;
    } cases[] = {
        {"dc_x='a;b c'\n", "a;b c"},
        {"dc_x=\"a \\\"b\\\" \\$c \\\\ \\q\"\n", "a \"b\" $c \\ \\q"},
        {"dc_x=bare\n", "bare"},
        {"dc_x=a\\ b\n", "a b"},
        {"dc_x=''\n", ""},
        {"dc_x=\n", ""},
        {"dc_x='con'\"cat\"enated\n", "concatenated"},
        {"dc_x='multi\nline'\n", "multi\nline"},
        {"dc_x=one\\\ntwo\n", "onetwo"},
        {"export dc_x='e'\n", "e"},
        {"  dc_x='indented'  # trailing comment\n", "indented"},
        {"dc_x=a#b\n", "a#b"},
        {"dc_x='crlf'\r\n", "crlf"},
    };
    for (const auto& c : cases) {
      Diagnostics d;
      SplitSettings s = parse(c.text, d);
      CHECK_MESSAGE(s.get("dc_x", "(unset)") == c.want, c.text);
      CHECK_MESSAGE(d.warnings.empty(), c.text);
    }
  }

  TEST_CASE("line numbers, several assignments per line, the last assignment wins") {
    Diagnostics d;
    SplitSettings s = parse(
        "# comment\n"
        "dc_a='1'; dc_b='2'\n"
        "\n"
        "dc_c='x\ny'\n"
        "dc_a='3' dc_d=4\n",
        d);
    CHECK(d.warnings.empty());
    REQUIRE(s.find("dc_a"));
    CHECK(s.find("dc_a")->value == "3");
    CHECK(s.find("dc_a")->line == 6);  // dc_c spans lines 4-5
    CHECK(s.find("dc_b")->line == 2);
    CHECK(s.find("dc_c")->line == 4);
    CHECK(s.find("dc_d")->line == 6);
    CHECK(s.find("dc_e") == nullptr);
    CHECK(s.get("dc_e", "fb") == "fb");
    CHECK(s.items.size() == 4);
  }

  TEST_CASE("what the file cannot do here is a warning with file and line") {
    Diagnostics d;
    SplitSettings s = parse(
        "dc_a='ok'\n"
        "echo hello world\n"
        "dc_b=\"$HOME/x\"\n"
        "dc_c=`hostname`\n"
        "dc_d='never closed\n",
        d);
    CHECK(s.get("dc_a") == "ok");
    CHECK(s.get("dc_b") == "$HOME/x");
    CHECK(s.get("dc_d") == "never closed\n");
    REQUIRE(d.warnings.size() == 4);
    CHECK(d.warnings[0] == "ue4cc:2: not a NAME=VALUE assignment; the command is ignored");
    CHECK(d.warnings[1] ==
          "ue4cc:3: dc_b: '$' and '`' are not expanded; the value is used as written");
    CHECK(d.warnings[2].starts_with("ue4cc:4: dc_c: "));
    CHECK(d.warnings[3] == "ue4cc:5: unterminated '...' quote");
  }

  TEST_CASE("garbage never stops the reading") {
    Diagnostics d;
    SplitSettings s = parse("\"unterminated\n=x\n;;;\n\\\ndc_z=1\n", d);
    CHECK_FALSE(d.warnings.empty());
    Diagnostics d2;
    SplitSettings s2 = parse("dc_q=\"abc", d2);
    CHECK(s2.get("dc_q") == "abc");
    CHECK(d2.warnings.size() == 1);
  }
}

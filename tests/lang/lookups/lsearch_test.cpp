#include <doctest/doctest.h>

#include <thread>

#include "lang/lookups/linear_file.h"
#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.lsearch") {
  TEST_CASE("linear_parse: keys, data, continuations") {
    auto e = lang::linear_parse(
        "# comment\n"
        "k1: a\n  b\n#c\n  c\n"
        "k2:\t x \t\n"
        "k3   :fail:\n"
        "\"k4\\x41\\tq\" z\n"
        "\"open:quote\n"
        "k5:\n  # not a comment\n"
        "k6 one\n   \n  two\n"
        "crlf: v\r\n  more\r\n");
    struct {
      const char *key, *data, *full;
    } want[] = {
        {"k1", "a b", "k1: a b"},         {"k2", "x", "k2:\t x"},
        {"k3", "fail:", "k3   :fail:"},   {"k4A\tq", "z", "k4A\tq z"},
        {"open:quote", "", "open:quote"}, {"k5", " # not a comment", "k5: # not a comment"},
        {"k6", "one", "k6 one"},          {"crlf", "v more", "crlf: v more"},
    };
    REQUIRE(e.size() == std::size(want));
    for (size_t i = 0; i < e.size(); ++i) {
      CHECK_MESSAGE(e[i].key == want[i].key, "entry ", i);
      CHECK_MESSAGE(e[i].data == want[i].data, "entry ", i, " got '", e[i].data, "'");
      CHECK_MESSAGE(e[i].full == want[i].full, "entry ", i, " got '", e[i].full, "'");
    }
  }

  TEST_CASE("lookups through the item") {
    testfiles::TempDir d;
    std::string f = d.write("aliases", "postmaster: root\nMixed: m\n\"a:b\": colon\n*: star\n");
    struct {
      std::string in, want;
    } cases[] = {
        {"${lookup{postmaster}lsearch{" + f + "}}", "root"},
        {"${lookup{POSTMASTER}lsearch{" + f + "}}", "root"},
        {"${lookup{mixed}lsearch,ret=key{" + f + "}}", "mixed"},
        {"${lookup{a:b}lsearch,ret=full{" + f + "}}", "a:b: colon"},
        {"${lookup{nobody}lsearch{" + f + "}{y}{n}}", "n"},
        {"${lookup{nobody}lsearch*{" + f + "}}", "star"},
        {"${lookup{}lsearch{" + f + "}{y}{n}}", "n"},
        {"${lookup{x}lsearch{" + d.path() + "/none}}",
         "Failed: failed to open " + d.path() +
             "/none for linear search: No such file or directory"},
        {"${lookup{x}lsearch{" + d.path() + "}}",
         "Failed: " + d.path() + " is not a regular file (lsearch lookup)"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("a changed file is re-read") {
    testfiles::TempDir d;
    lang::EvalContext ctx;
    std::string f = d.write("f", "k: one\n");
    std::string q = "${lookup{k}lsearch{" + f + "}}";
    CHECK(ex(ctx, q) == "one");
    d.write("f", "k: two, longer\n");  // the size changes, so the stamp does
    CHECK(ex(ctx, q) == "two, longer");
  }
}

#include "lang/lookups/file_index.h"

#include <doctest/doctest.h>

#include "lang/lookup_cache.h"
#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.file_index") {
  TEST_CASE("file_check_due") {
    lang::FileCheck c;
    CHECK(lang::file_check_due(c, 0));
    CHECK(lang::file_check_due(c, 0));  // no interval: every time
    lang::FileCheck d;
    CHECK(lang::file_check_due(d, 3600'000'000'000));  // never checked: due
    CHECK_FALSE(lang::file_check_due(d, 3600'000'000'000));
    CHECK(lang::file_check_due(d, 0));
  }
  TEST_CASE("with an interval, a handle keeps its index until the check is due") {
    testfiles::TempDir dir;
    std::string f = dir.write("f", "k: one\n");
    std::string q = "${lookup{k}lsearch{" + f + "}}";
    lang::EvalContext ctx;
    ctx.lookups().set_file_check_interval(3600'000'000'000);
    CHECK(ex(ctx, q) == "one");
    dir.write("f", "k: two, longer\n");
    CHECK(ex(ctx, q) == "one");
    ctx.lookups().set_file_check_interval(0);
    CHECK(ex(ctx, q) == "two, longer");
    lang::EvalContext other;  // a fresh context opens the file again
    CHECK(ex(other, q) == "two, longer");
  }
  TEST_CASE("the same file through two lookup types") {
    testfiles::TempDir dir;
    std::string f = dir.write("f", "k: one\n*: star\n");
    lang::EvalContext ctx;
    CHECK(ex(ctx, "${lookup{k}lsearch{" + f + "}}") == "one");
    CHECK(ex(ctx, "${lookup{x}wildlsearch{" + f + "}}") == "star");
    CHECK(ex(ctx, "${lookup{k}lsearch{" + f + "}}") == "one");
    CHECK(ex(ctx, "${lookup{x}lsearch{" + f + "}{y}{n}}") == "n");
  }
}

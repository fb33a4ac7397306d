#include <doctest/doctest.h>

#include <sqlite3.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.sqlite") {
  TEST_CASE("queries and result layout") {
    testfiles::TempDir d;
    std::string db = d.path() + "/t.db";
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h,
                         "create table t (name text, uid int, note text);"
                         "insert into t values ('a', 1, 'two words');"
                         "insert into t values ('b', 2, NULL);"
                         "insert into t values ('c', 3, '');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
    struct {
      std::string q, want;
    } cases[] = {
        {"select uid from t where name='a'", "1"},
        {"select name from t order by uid", "a\nb\nc"},
        {"select name, note from t where name='a'", "name=a note=\"two words\" "},
        {"select name, note from t where name='b'", "name=b note=<NULL> "},
        {"select name, note from t where name='c'", "name=c note=\"\" "},
        {"select note from t where name='b'", "<NULL>"},
        {"select uid from t where name='zz'", "NONE"},
        {"select nosuchcolumn from t", "NONE"},
    };
    for (auto& c : cases) {
      std::string in = "${lookup sqlite{" + db + " " + c.q + "}{$value}{NONE}}";
      CHECK_MESSAGE(ex(in) == c.want, "query: ", c.q);
    }
    CHECK(ex("${lookup sqlite,file=" + db + "{select uid from t where name='b'}}") == "2");
    CHECK(ex("${lookup sqlite{select 1}}") ==
          "Failed: absolute file name expected for \"sqlite\" lookup");
    CHECK(ex("${lookup sqlite{/nonexistent-dir/x.db select 1}}") ==
          "Failed: unable to open database file");
  }
}

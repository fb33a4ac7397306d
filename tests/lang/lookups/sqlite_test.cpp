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
  TEST_CASE("T-EXP-5: client data must be quoted into a query, refused when it is parsed") {
    testlang::Context c({}, {{"local_part", "x' or '1'='1"}});
    CHECK(c.ex("${lookup sqlite{/nonexistent/t.db select 1 where '$local_part'='a'}}") ==
          "Failed: $local_part (client data) written unquoted into a sqlite query: use "
          "${quote_sqlite:$local_part}");
    CHECK(c.ex("${lookup sqlite,file=/x.db{select '$h_subject:'}{y}{n}}") ==
          "Failed: $h_subject: (client data) written unquoted into a sqlite query: use "
          "${quote_sqlite:$h_subject:}");
    CHECK(c.ex("${lookup sqlite{/x.db select '$sender_address_domain'}}").find("unquoted") !=
          std::string::npos);
    // Quoted, or from the configuration, it is left to run.
    testfiles::TempDir d;
    std::string db = d.path() + "/t.db";
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h, "create table t (name text, v text); insert into t values ('a', '1');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(h);
    CHECK(c.ex("${lookup sqlite{" + db +
               " select v from t where name='${quote_sqlite:$local_part}'}{found}{none}}") ==
          "none");
    CHECK(c.ex("${lookup sqlite{" + db + " select v from t where name='$primary_hostname'}" +
               "{found}{none}}") == "none");
    CHECK(c.ex("${lookup dnsdb{defer_never,a=$local_part.invalid}{y}{n}}") ==
          "n");  // no quoting rule
  }
}

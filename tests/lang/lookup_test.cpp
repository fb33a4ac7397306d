#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "lang/context.h"
#include "lang/lookup.h"
#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

TEST_SUITE("lang.lookup") {
  TEST_CASE("lookup_parse_spec") {
    struct {
      const char* in;
      const char* name;  // or the error message
      int partial;
      const char* affix;
      bool star, star_at;
    } cases[] = {
        {"lsearch", "lsearch", -1, "", false, false},
        {"partial-lsearch", "lsearch", 2, "*.", false, false},
        {"partial3-cdb*", "cdb", 3, "*.", true, false},
        {"partial0(.)lsearch*@", "lsearch", 0, ".", false, true},
        {"partial()lsearch", "lsearch", 2, "", false, false},
        {"lsearch*@,ret=key", "lsearch", -1, "", false, true},
        {"lsearch*@*", "lsearch", -1, "", false, true},
        {"lsearch,ret=full*", "unknown lookup type \"lsearch,ret=full\"", 0, "", false, false},
        {"nosuch", "unknown lookup type \"nosuch\"", 0, "", false, false},
        {"partial-", "unknown lookup type \"\"", 0, "", false, false},
        {"partialx-lsearch", "format error in lookup type \"partialx-lsearch\"", 0, "", false,
         false},
        {"partial(ab)lsearch", "format error in lookup type \"partial(ab)lsearch\"", 0, "", false,
         false},
        {"partial-passwd", "\"partial\" is not permitted for lookup type \"passwd\"", 0, "", false,
         false},
        {"partial-sqlite", "sqlite", 2, "*.", false, false},
    };
    for (auto& c : cases) {
      lang::LookupSpec spec;
      lang::Status st = lang::lookup_parse_spec(c.in, spec);
      if (!st.is_ok()) {
        CHECK_MESSAGE(st.message() == c.name, "input: ", c.in);
        continue;
      }
      REQUIRE_MESSAGE(spec.def != nullptr, "input: ", c.in);
      CHECK_MESSAGE(spec.def->name == c.name, "input: ", c.in);
      CHECK_MESSAGE(spec.partial == c.partial, "input: ", c.in);
      CHECK_MESSAGE(spec.partial_affix == c.affix, "input: ", c.in);
      CHECK_MESSAGE(spec.star == c.star, "input: ", c.in);
      CHECK_MESSAGE(spec.star_at == c.star_at, "input: ", c.in);
    }
    lang::LookupSpec spec;
    REQUIRE(lang::lookup_parse_spec("dsearch,ret=full,filter=dir", spec).is_ok());
    CHECK(spec.options == lang::LookupOptions{{"ret", "full"}, {"filter", "dir"}});
  }

  TEST_CASE("lookup_run: partial matching and defaults, with $1 and $2") {
    testfiles::TempDir d;
    std::string f = d.write("domains",
                            "*.a.b.c: abc\n*.b.c: bc\n*: star\n*@example.com: at\n"
                            "-=: affix\n");
    struct {
      const char *type, *key, *want, *one, *two;
    } cases[] = {
        {"partial-lsearch", "x.a.b.c", "abc", "x", "a.b.c"},
        {"partial-lsearch", "a.b.c", "abc", "", "a.b.c"},
        {"partial-lsearch", "y.b.c", "bc", "y", "b.c"},
        {"partial4-lsearch", "y.b.c", "", "-", "-"},
        {"partial0-lsearch", "q.r", "star", "q.", ""},
        {"partial0(-=)lsearch", "q.r", "affix", "q.", ""},
        {"lsearch*@", "u@example.com", "at", "u", ""},
        {"lsearch*@", "u@other", "star", "u@other", ""},
        {"lsearch*", "", "star", "", ""},
        {"partial-lsearch*", "p.q", "star", "p.q", ""},
    };
    for (auto& c : cases) {
      lang::LookupSpec spec;
      REQUIRE(lang::lookup_parse_spec(c.type, spec).is_ok());
      lang::EvalContext ctx;
      ctx.captures = {"-", "-", "-"};
      lang::LookupResult r = lang::lookup_run(ctx, spec, f, c.key);
      CHECK_MESSAGE(r.value == c.want, c.type, " ", c.key);
      CHECK_MESSAGE(ctx.captures[1] == c.one, c.type, " ", c.key);
      CHECK_MESSAGE(ctx.captures[2] == c.two, c.type, " ", c.key);
    }
  }

  TEST_CASE("lookup_quote") {
    struct {
      const char *type, *in, *want;
      bool ok;
    } cases[] = {
        {"sqlite", "it's", "it''s", true},
        {"lsearch", "a:b c", "a:b c", true},
        {"pgsql", "a'b\\c\n", "a''b\\\\c\\n", true},
        {"mysql", "a'b\"c", "a\\'b\\\"c", true},
        {"ldap", "(cn=x*)", "%5C28cn%3Dx%5C2A%5C29", true},
        {"ldap_dn", " #a,b ", "%5C%20%5C%23a%5C%2Cb%5C%20", true},
        {"nosuch", "x", "unknown lookup type \"nosuch\"", false},
        {"sqlite_x", "x", "\"x\" unrecognized after \"${quote_sqlite\"", false},
        {"cdb_", "x", "\"\" unrecognized after \"${quote_cdb\"", false},
        {"ldap_cn", "x", "\"cn\" unrecognized after \"${quote_ldap\"", false},
    };
    for (auto& c : cases) {
      std::string out, err;
      bool ok = lang::lookup_quote(c.type, c.in, out, err);
      CHECK_MESSAGE(ok == c.ok, c.type);
      CHECK_MESSAGE((ok ? out : err) == c.want, c.type, " got '", ok ? out : err, "'");
    }
  }

  // T-EXP-3: Exim 4.94+ refuses a lookup file name built from client data; the same name
  // from an untainted variable, or with the client variable unset, is looked up.
  TEST_CASE("a file name written from client data is refused when it is set") {
    char path[] = "/tmp/facteur-lookup-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, "ann: yes\n", 9) == 9);
    close(fd);
    std::string dir(path), base(path);
    dir = dir.substr(0, dir.rfind('/'));
    base = base.substr(base.rfind('/') + 1);
    testlang::Context c({}, {{"local_part", "../../etc/passwd"},
                             {"local_part_data", base},
                             {"domain", ""},
                             {"h_subject", "x"}});
    CHECK(c.ex("${lookup{ann}lsearch{/tmp/$local_part}}") ==
          "Failed: Tainted filename for search: '/tmp/../../etc/passwd'");
    CHECK(c.ex("${lookup{ann}lsearch{" + dir + "/$local_part_data}}") == "yes");
    CHECK(c.ex("${lookup{ann}lsearch{" + std::string(path) + "$domain}}") == "yes");
    CHECK(c.ex("${lookup{ann}lsearch{" + dir + "/${substr_0:$local_part_data}}}") == "yes");
    unlink(path);
  }
}

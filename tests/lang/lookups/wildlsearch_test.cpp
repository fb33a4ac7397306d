#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"
#include "tests/lang/lookups/test_files.h"

using testlang::ex;

TEST_SUITE("lang.lookups.wildlsearch") {
  TEST_CASE("patterns") {
    testfiles::TempDir d;
    std::string other = d.write("other", "listed.example: yes\n");
    std::string f = d.write("wild",
                            "exact.example: exact\n*.spam.example: wild\n"
                            "^\\N[0-9]+\\.dyn\\N digits\n^(?-i)Case\\.example sensitive\n"
                            "\"quoted key\" quoted\nlsearch;" +
                                other +
                                " nested\n"
                                "pre.$primary_hostname expanded\n");
    struct {
      const char *type, *key, *want;
    } cases[] = {
        {"wildlsearch", "EXACT.example", "exact"},
        {"wildlsearch", "a.spam.example", "wild"},
        {"wildlsearch", "spam.example", "no"},
        {"wildlsearch", "123.dyn", "digits"},
        {"wildlsearch", "Case.example", "sensitive"},
        {"wildlsearch", "case.example", "no"},
        {"wildlsearch", "QUOTED KEY", "quoted"},
        {"wildlsearch", "listed.example", "nested"},
        {"wildlsearch", "pre.", "expanded"},  // $primary_hostname is empty here
        {"nwildlsearch", "123.dyn", "no"},    // \N stays in the regex
        {"nwildlsearch", "pre.\\$primary_hostname", "expanded"},
    };
    for (auto& c : cases) {
      std::string q = std::string("${lookup{") + c.key + "}" + c.type + "{" + f + "}{$value}{no}}";
      CHECK_MESSAGE(ex(q) == c.want, std::string(c.type), " key: ", std::string(c.key));
    }
  }

  TEST_CASE("a key that fails to expand defers when reached") {
    testfiles::TempDir d;
    std::string f = d.write("wild", "first: 1\n^bad$ 2\nlast: 3\n");
    CHECK(ex("${lookup{first}wildlsearch{" + f + "}}") == "1");
    CHECK(ex("${lookup{last}wildlsearch{" + f + "}}") == "Failed: lookup of \"last\" gave DEFER: ");
    CHECK(ex("${lookup{last}nwildlsearch{" + f + "}}") == "3");
  }
}

#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.operators.list") {
  TEST_CASE("listcount") {
    testlang::Case cases[] = {
        {"${listcount:a:b:c}", "3"},     {"${listcount:}", "0"},
        {"${listcount:a::b:c}", "2"},    {"${listcount:a: :c}", "3"},
        {"${listcount:<, a,b,,c}", "2"}, {"${listcount::}", "1"},
        {"${listcount:a:}", "1"},        {"${listcount: }", "0"},
        {"${listcount:<}", "0"},         {"${listcount:${listnamed:local_domains}}", "4"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("listnamed") {
    testlang::Case cases[] = {
        {"${listnamed:local_domains}", "example.com : example.org : *.example.net : @"},
        {"${listnamed:+local_domains}", "example.com : example.org : *.example.net : @"},
        {"${listnamed:relay_from_hosts}", "127.0.0.1 : ::1 : 192.168.0.0/16"},
        {"${listnamed:nested_domains}",
         "example.com : example.org : *.example.net : @ : other.example"},
        {"${listnamed:semi}", "a::b : c;d"},  // colons doubled only for other separators
        {"${listnamed_d:local_domains}", "example.com : example.org : *.example.net : @"},
        {"${listnamed_l:admin_parts}", "root : postmaster : abuse"},
        {"${listnamed:regex_domains}", "^\\N[a-z]+[0-9]+\\.example\\.com$\\N : *.test"},
        {"${listnamed:no_such_list}", "Failed: \"no_such_list\" is not a named list"},
        {"${listnamed_x:local_domains}", "Failed: bad suffix on \"list\" operator"},
        {"${listnamed_h:local_domains}", "Failed: \"local_domains\" is not a host named list"},
        {"${listnamed_a:admin_parts}", "Failed: \"admin_parts\" is not a address named list"},
        {"${listnamed_l:local_domains}", "Failed: \"local_domains\" is not a localpart named list"},
        {"${listnamed:++local_domains}", "Failed: \"+local_domains\" is not a named list"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("listnamed stops on a self-referencing list") {
    CHECK(ex("${listnamed:loop}").rfind("Failed: ", 0) == 0);
  }
}

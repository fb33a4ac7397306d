#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::be::ex;

TEST_SUITE("lang.items.sort") {
  TEST_CASE("orders") {
    testlang::Case cases[] = {
        {"${sort{3:2:1:4}{<}{$item}}", "1:2:3:4"},
        {"${sort {<, 3,2,1,4}{>}{$item}}", "4,3,2,1"},
        {"${sort{c:B:a:aa}{lti}{$item}}", "a:aa:B:c"},
        {"${sort{c:B:a:aa}{lt}{$item}}", "B:a:aa:c"},
        {"${sort{c:B:a:aa}{gt}{$item}}", "c:aa:a:B"},
        {"${sort{10:9:100}{lt}{$item}}", "10:100:9"},
        {"${sort{2K:1M:3}{<}{$item}}", "3:2K:1M"},
        {"${sort{x:yy:z}{<=}{${listcount:<.$item}}}", "z:yy:x"},  // equal keys
        {"${sort{<; c;a;b}{ge}{$item}}", "c;b;a"},
        {"${sort{x:a:b}{<}{$item}}", "x:a:b"},  // non-numeric keys compare false
        {"${sort{a::b:c:d}{gt}{$item}}", "d:c:a::b"},
        {"[${sort{}{<}{$item}}]", "[]"},
        {"${sort{b:a}{gt}{$item}}[$item]", "b:a[]"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("ties keep Exim's insertion order") {
    // Keys: x=1 yy=2 z=1; a new item goes before the first placed one it sorts before.
    CHECK(ex("${sort{x:yy:z}{<=}{${if eq{$item}{yy}{2}{1}}}}") == "z:x:yy");
  }

  TEST_CASE("errors") {
    testlang::Case cases[] = {
        {"${sort{a:b}{nosuch}{$item}}", "Failed: "},
        {"${sort{a:b}{eq}{$item}}", "Failed: comparator not handled for sort"},
        {"${sort{a:b}{ <}{$item}}", "Failed: condition name expected, but found \" <\""},
        {"${sort{a:b}{<}}", "Failed: missing '{' for extractor arg of sort"},
        {"${sort{a:b}}", "Failed: missing '{' for comparator arg of sort"},
        {"${sort}", "Failed: missing '{' for list arg of sort"},
        {"${sort{a:b}{<}{$item} }", "Failed: missing } at end of \"sort\""},
        {"${sort{a:b}{<}{${if eq{$item}{a}{z}fail}}}",
         "Failed: field-extract in sort: \"${if eq{$item}{a}{z}fail}\""},
        {"${sort{a: :b}{<}{$item}}", "Failed: field-extract in sort: \"$item\""},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
  }
}

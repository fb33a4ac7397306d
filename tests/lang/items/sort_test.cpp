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

  // Issue 2: sorting 100,000 items took minutes (quadratic insertion). Equal keys must still
  // come out as Exim's insertion puts them (expected values from the reference exim4).
  TEST_CASE("Issue2 equal keys and a large list") {
    testlang::Case cases[] = {
        {"${sort{b1:a2:B3:a4:b5:A6}{lti}{${substr_0_1:$item}}}", "a2:a4:A6:b1:B3:b5"},
        {"${sort{b1:a2:B3:a4:b5:A6}{lei}{${substr_0_1:$item}}}", "A6:a4:a2:b5:B3:b1"},
        {"${sort{b1:a2:B3:a4:b5:A6}{gei}{${substr_0_1:$item}}}", "b5:B3:b1:A6:a4:a2"},
        {"${sort{b1:a2:B3:a4:b5:A6}{gt}{${substr_0_1:$item}}}", "b1:b5:a2:a4:B3:A6"},
        {"${sort{3a:1b:3c:2d:1e:x:3f}{<=}{${substr_0_1:$item}}}", "1e:1b:2d:3f:3c:3a:x"},
        {"${sort{3a:1b:3c:2d:1e:3f}{<=}{${substr_0_1:$item}}}", "1e:1b:2d:3f:3c:3a"},
        {"${sort{3a:1b:3c:2d:1e:3f}{>}{${substr_0_1:$item}}}", "3a:3c:3f:2d:1b:1e"},
        {"${sort{3a:1b:3c:2d:1e:3f}{>=}{${substr_0_1:$item}}}", "3f:3c:3a:2d:1e:1b"},
    };
    for (auto& c : cases) CHECK_MESSAGE(ex(c.in) == c.want, "input: ", c.in);
    std::string list = "99999", want = "0";
    for (int i = 99998; i >= 0; --i) list += ":" + std::to_string(i);
    for (int i = 1; i < 100000; ++i) want += ":" + std::to_string(i);
    CHECK(ex("${sort{" + list + "}{<}{$item}}") == want);
  }
}

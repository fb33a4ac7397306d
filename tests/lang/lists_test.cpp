#include <doctest/doctest.h>

#include <vector>

#include "lang/lists.h"

namespace {
std::vector<std::string> items(std::string_view list, char sep = ':') {
  lang::ListReader r(list, sep);
  std::vector<std::string> v;
  std::string it;
  while (r.next(it)) v.push_back(it);
  return v;
}
}  // namespace

TEST_SUITE("lang.lists") {
  TEST_CASE("splitting") {
    using V = std::vector<std::string>;
    CHECK(items("a:b:c") == V{"a", "b", "c"});
    CHECK(items(" a : b ") == V{"a", "b"});
    CHECK(items("a::b") == V{"a:b"});
    CHECK(items("") == V{});
    CHECK(items("<; 1.2.3.4 ; ::1") == V{"1.2.3.4", "::1"});
    CHECK(items("<, a,,b , c") == V{"a,b", "c"});
    CHECK(items("a: :b") == V{"a", "", "b"});
  }
  TEST_CASE("appending doubles the separator") {
    std::string l;
    lang::list_append(l, ':', "a");
    lang::list_append(l, ':', "b:c");
    CHECK(l == "a:b::c");
  }
}

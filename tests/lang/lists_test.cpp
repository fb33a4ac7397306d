#include <doctest/doctest.h>

#include <string>
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
// "[a][b]" form, to see empty items.
std::string joined(std::string_view list) {
  std::string out;
  for (const auto& i : items(list)) out += "[" + i + "]";
  return out;
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
  TEST_CASE("reading items") {
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"a:b:c", "[a][b][c]"},
        {"", ""},
        {" ", ""},
        {"a::b:c", "[a:b][c]"},
        {"a: :c", "[a][][c]"},
        {"a:", "[a]"},
        {":", "[]"},
        {"<; a;b", "[a][b]"},
        {"<", ""},  // the NUL after '<' is the separator: empty list
        {"<;", ""},
        {"< a b", "[< a b]"},            // a space is not a separator character
        {"<\n a \n\n b\n", "[a][][b]"},  // white-space separators are never doubled
        {"<\t a\t\tb", "[a][][b]"},
    };
    for (auto& c : cases) CHECK_MESSAGE(joined(c.in) == c.want, "input: ", c.in);
  }

  TEST_CASE("writing items") {
    struct {
      char sep;
      std::vector<std::string> in;
      const char* want;
    } cases[] = {
        {':', {"a", "b"}, "a:b"},
        {':', {":a:", ":b:"}, "::a::: ::b::"},  // a leading separator gets a space
        {':', {"", "b", "c"}, ":b:c"},          // an empty first item writes nothing
        {':', {"a", "", "c"}, "a: :c"},         // an empty later item is a space
        {';', {";a", "b"}, ";;a;b"},
        {'\n', {"x\ny"}, "x\n\ny"},
    };
    for (auto& c : cases) {
      lang::ListWriter w(c.sep);
      for (auto& i : c.in) w.add(i);
      CHECK_MESSAGE(w.str() == c.want, "want: ", c.want);
    }
  }
}

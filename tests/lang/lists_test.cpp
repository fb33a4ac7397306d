#include "lang/lists.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {
std::string items(std::string_view list) {
  lang::ListReader r(list);
  std::string item, out;
  while (r.next(item)) out += "[" + item + "]";
  return out;
}
}  // namespace

TEST_SUITE("lang.lists") {
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
    for (auto& c : cases) CHECK_MESSAGE(items(c.in) == c.want, "input: ", c.in);
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

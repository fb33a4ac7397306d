#include "lang/name_table.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {
struct Def {
  std::string_view name;
  int value;
};
}  // namespace

TEST_SUITE("lang.name_table") {
  TEST_CASE("finds what was added, through index growth, at stable addresses") {
    lang::NameTable<Def> t;
    CHECK(t.find("x") == nullptr);
    std::vector<std::string> names;
    for (int i = 0; i < 300; ++i) names.push_back("name" + std::to_string(i));
    REQUIRE(t.add({names[0], 0}));
    const Def* first = t.find("name0");
    REQUIRE(first != nullptr);
    for (int i = 1; i < 300; ++i) REQUIRE(t.add({names[static_cast<size_t>(i)], i}));
    CHECK(t.find("name0") == first);
    for (int i = 0; i < 300; ++i) {
      const Def* d = t.find(names[static_cast<size_t>(i)]);
      REQUIRE(d != nullptr);
      CHECK(d->value == i);
    }
    CHECK(t.find("name300") == nullptr);
    CHECK(t.find("") == nullptr);
    CHECK(t.find("name") == nullptr);
  }
  TEST_CASE("duplicates are refused; names come sorted") {
    lang::NameTable<Def> t;
    CHECK(t.add({"b", 1}));
    CHECK(t.add({"a", 2}));
    CHECK(t.add({"", 3}));
    CHECK_FALSE(t.add({"b", 4}));
    CHECK(t.find("b")->value == 1);
    CHECK(t.find("")->value == 3);
    CHECK(t.names() == std::vector<std::string_view>{"", "a", "b"});
  }
}

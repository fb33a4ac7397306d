#include <doctest/doctest.h>

#include <algorithm>

#include "lang/context.h"
#include "lang/variables.h"

TEST_SUITE("lang.variables") {
  TEST_CASE("catalogue is sorted and unique") {
    auto v = lang::variable_names();
    CHECK(std::is_sorted(v.begin(), v.end()));
    CHECK(std::adjacent_find(v.begin(), v.end()) == v.end());
  }
  TEST_CASE("resolution") {
    lang::VarRef r;
    CHECK(lang::variable_resolve("primary_hostname", r).is_ok());
    CHECK(r.kind == lang::VarKind::External);
    CHECK(lang::variable_resolve("value", r).is_ok());
    CHECK(r.kind == lang::VarKind::Value);
    CHECK(lang::variable_resolve("acl_m_custom", r).is_ok());
    CHECK(r.kind == lang::VarKind::AclVar);
    CHECK(lang::variable_resolve("acl_arg3", r).is_ok());
    CHECK(r.index == 3);
    CHECK(lang::variable_resolve("acl_cx", r).message().find("6th character") != std::string::npos);
    CHECK(lang::variable_resolve("nosuch", r).message() == "unknown variable name \"nosuch\"");
  }
  TEST_CASE("language variables come from the context") {
    lang::EvalContext ctx;
    ctx.captures = {"all", "one"};
    ctx.acl_args = {"a1"};
    std::string out;
    lang::VarRef r;
    REQUIRE(lang::variable_resolve("1", r).is_ok());
    CHECK(lang::variable_get(ctx, r, out));
    CHECK(out == "one");
    REQUIRE(lang::variable_resolve("acl_narg", r).is_ok());
    lang::variable_get(ctx, r, out);
    CHECK(out == "1");
    REQUIRE(lang::variable_resolve("2", r).is_ok());
    CHECK_FALSE(lang::variable_get(ctx, r, out));
  }
}

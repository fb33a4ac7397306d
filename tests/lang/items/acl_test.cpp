#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

namespace {

// Answers as the ACLs of the corpus configuration would.
class FakeAcls : public lang::AclRunner {
 public:
  lang::AclVerdict run(std::string_view name, const std::vector<std::string>& args,
                       std::string& message) override {
    last_args = args;
    if (name == "greet") {
      message = "hello " + (args.empty() ? std::string() : args[0]);
      return lang::AclVerdict::Accept;
    }
    if (name == "refuse") return message = "refused", lang::AclVerdict::Deny;
    if (name == "later") return message = "try later", lang::AclVerdict::Defer;
    if (name == "dropit") return lang::AclVerdict::Drop;
    if (name == "discardit") return lang::AclVerdict::Discard;
    return lang::AclVerdict::Error;
  }
  std::vector<std::string> last_args;
};

std::string ex(std::string_view s, lang::AclRunner* runner) {
  lang::EvalContext ctx;
  ctx.acl = runner;
  return testlang::ex_forced(ctx, s);
}

}  // namespace

TEST_SUITE("lang.items.acl") {
  TEST_CASE("item") {
    FakeAcls acls;
    CHECK(ex("${acl{greet}{world}}", &acls) == "hello world");
    CHECK(ex("${acl {greet} {a}{b}{c}}", &acls) == "hello a");
    CHECK(acls.last_args == std::vector<std::string>{"a", "b", "c"});
    CHECK(ex("${acl{refuse}}", &acls) == "refused");
    CHECK(ex("${acl{later}}", &acls) == "Forced: DEFER from acl \"later\"");
    CHECK(ex("${acl{dropit}}", &acls) == "Failed: FAIL_DROP from acl \"dropit\"");
    CHECK(ex("${acl{discardit}}", &acls) == "Failed: DISCARD from acl \"discardit\"");
    CHECK(ex("${acl{nosuch}}", &acls) == "Failed: ERROR from acl \"nosuch\"");
    CHECK(ex("${acl{greet}}", nullptr) == "Failed: ERROR from acl \"greet\"");
    CHECK(ex("${acl{a}{1}{2}{3}{4}{5}{6}{7}{8}{9}{10}}", &acls) ==
          "Failed: Too many arguments for 'acl' (max is 10)");
    CHECK(ex("${acl{greet}{x}", &acls) == "Failed: missing } at end of string");
  }
  TEST_CASE("condition") {
    FakeAcls acls;
    CHECK(ex("${if acl{{greet}{one}}{Y:$value}{N:$value}}", &acls) == "Y:hello one");
    CHECK(ex("${if acl{{refuse}}{Y:$value}{N:$value}}", &acls) == "N:refused");
    CHECK(ex("${if acl{{later}}{Y}{N}}", &acls) == "Forced: DEFER from acl \"later\"");
    CHECK(ex("${if acl{{greet}}{}}[$value]", &acls) == "[]");  // $value restored after the if
    CHECK(ex("${if acl{greet}}", &acls) == "Failed: too few arguments or bracketing error for acl");
    CHECK(ex("${if acl}", &acls) == "Failed: missing { after \"acl\"");
  }
}

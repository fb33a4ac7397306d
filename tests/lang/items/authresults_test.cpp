#include <doctest/doctest.h>

#include <map>

#include "lang/context.h"
#include "lang/expand.h"

namespace {
class Vars : public lang::VariableSource {
 public:
  std::map<std::string, std::string, std::less<>> v;
  bool get(std::string_view name, std::string& out) const override {
    auto it = v.find(name);
    if (it == v.end()) return false;
    out = it->second;
    return true;
  }
};
std::string ex(std::string_view s, const lang::VariableSource* vars = nullptr) {
  lang::EvalContext ctx;
  ctx.vars = vars;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}
}  // namespace

TEST_SUITE("lang.items.authresults") {
  TEST_CASE("without a session") {
    CHECK(ex("${authresults{mail.example.com}}") == "Authentication-Results: mail.example.com");
    CHECK(ex("${authresults {x} }") == "Authentication-Results: x");
    CHECK(ex("${authresults{a}{b}}") == "Failed: Too many arguments for 'authresults' (max is 1)");
  }
  TEST_CASE("with iprev and auth results") {
    Vars vars;
    vars.v = {{"sender_host_name", "client.example"},
              {"sender_host_address", "192.0.2.1"},
              {"sender_host_authenticated", "plain"},
              {"authenticated_id", "joe"}};
    CHECK(ex("${authresults{mx}}", &vars) ==
          "Authentication-Results: mx;\n\tiprev=pass (client.example) smtp.remote-ip=192.0.2.1;"
          "\n\tauth=pass (plain) smtp.auth=joe");
  }
}

#include "engine/message_vars.h"

#include <doctest/doctest.h>

#include "lang/expand.h"

namespace {
std::string ex(engine::MessageVariables& mv, std::string_view s) {
  lang::EvalContext ctx;
  ctx.vars = &mv;
  std::string out;
  lang::Status st = lang::expand_string(s, ctx, out);
  return st.is_ok() ? out : "Failed: " + st.message();
}
}  // namespace

TEST_SUITE("engine.message_vars") {
  TEST_CASE("headers and body of a -bem message") {
    engine::MessageVariables mv(nullptr);
    mv.load_text(
        "Subject:  Hello there\nX-Multi: one\n two\nTo: a@b.example\nTo: c@d.example\n"
        "\nline 1\nline 2\n");
    CHECK(ex(mv, "$h_subject:") == "Hello there");
    CHECK(ex(mv, "$rh_subject:") == "  Hello there");
    CHECK(ex(mv, "$h_x-multi:") == "one\n two");
    CHECK(ex(mv, "$h_to:") == "a@b.example\nc@d.example");
    CHECK(ex(mv, "${if def:h_subject:{y}{n}}") == "y");
    CHECK(ex(mv, "${if def:h_cc:{y}{n}}") == "n");
    CHECK(ex(mv, "$body_linecount") == "2");
    CHECK(ex(mv, "$message_body") == "line 1 line 2 ");
  }
}

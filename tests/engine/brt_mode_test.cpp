#include "engine/brt_mode.h"

#include <doctest/doctest.h>

#include <cstdlib>

namespace {

std::string run(const std::vector<std::string>& args, std::optional<std::string> sender = {},
                int* rc = nullptr) {
  auto cfg = engine::config::read_string(
      "begin retry\nwonderland.fict.example quota_5d\n*.comp.mus.example * F,2h,15m; F,4d,30m;\n"
      "* rcpt_4xx senders=: F,1h,30m\n",
      "t.conf");
  REQUIRE(cfg.ok());
  auto rules = engine::retry_rules_load(*cfg);
  REQUIRE(rules.ok());
  lang::EvalContext ctx;
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  int r = engine::run_retry_test(*rules, ctx, args, sender, out, out);
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  if (rc) *rc = r;
  return s;
}

}  // namespace

TEST_SUITE("brt_mode") {
  // Outputs recorded from Exim 4.96 with the same rules.
  TEST_CASE("-brt as Exim prints it") {
    CHECK(run({"bach.comp.mus.example"}) ==
          "Retry rule: *.comp.mus.example  *  F,2h,15m; F,4d,30m; \n");
    CHECK(run({"x@wonderland.fict.example", "quota_6d"}) ==
          "Retry rule: wonderland.fict.example  quota_5d  \n");
    CHECK(run({"x@wonderland.fict.example", "quota_4d"}) == "No retry information found\n");
    CHECK(run({"nothing.x", "bach.comp.mus.example"}) ==
          "Retry rule: *.comp.mus.example  *  F,2h,15m; F,4d,30m; \n");
    CHECK(run({"a.b", "rcpt_452"}) == "No retry information found\n");
    CHECK(run({"a.b", "rcpt_452"}, std::string()) == "Retry rule: *  *  F,1h,30m; \n");
    CHECK(run({"ab"}).rfind("Warning: \"ab\" contains no '@' and no '.' characters.", 0) == 0);
    int rc = 0;
    CHECK(run({"a.b", "bogus_err"}, {}, &rc) == "unknown or malformed retry error \"bogus_err\"\n");
    CHECK(rc == 1);
    CHECK(run({}, {}, &rc) == "-brt needs a domain or address argument\n");
  }
}

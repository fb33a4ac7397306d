#include "engine/retry_rules.h"

#include <doctest/doctest.h>

namespace {

using engine::RetryError;
using engine::RetryErrorKind;
using engine::RetryRule;

RetryRule parse_ok(std::string_view text) {
  RetryRule r;
  std::string err = engine::retry_rule_parse(text, r);
  INFO("rule: ", text, " error: ", err);
  REQUIRE(err.empty());
  return r;
}

engine::RetryRules rules_of(std::string_view text) {
  auto cfg =
      engine::config::read_string(std::string("begin retry\n") + std::string(text), "t.conf");
  REQUIRE(cfg.ok());
  auto rules = engine::retry_rules_load(*cfg);
  REQUIRE(rules.ok());
  return *rules;
}

}  // namespace

TEST_SUITE("retry_rules") {
  TEST_CASE("display as -brt prints it") {
    struct {
      std::string_view in, want;
    } cases[] = {
        {"*.comp.mus.example  *  F,2h,15m; F,4d,30m;",
         "*.comp.mus.example  *  F,2h,15m; F,4d,30m; "},
        {"* * F,2h,15m; G,16h,1h,1.5; F,4d,6h", "*  *  F,2h,15m; G,16h,1h,1.5; F,4d,6h; "},
        {"wonderland.fict.example quota_5d", "wonderland.fict.example  quota_5d  "},
        {"* rcpt_45x F,1h,10m", "*  *  F,1h,10m; "},
        {"* Quota f,1h,10m ;g,2h,1h,2", "*  quota  F,1h,10m; G,2h,1h,2.0; "},
        {"* refused_MX G,1h,10m,1.25", "*  refused_MX  G,1h,10m,1.25; "},
        {"* timeout_connect_A F,1h,25h", "*  timeout_connect_A  F,1h,1d1h; "},
        {"\"a b\" * senders=\"x : y\" F,1h,1m", "a b  *  F,1h,1m; "},
    };
    for (const auto& c : cases) {
      RetryRule r = parse_ok(c.in);
      CHECK_MESSAGE(engine::retry_rule_display(r) == c.want, "rule: ", c.in);
    }
  }

  TEST_CASE("bad rules give Exim's messages") {
    struct {
      std::string_view in, want;
    } cases[] = {
        {"* bogus F,1h,1m", "unknown or malformed retry error \"bogus\""},
        {"* rcpt_5xx F,1h,1m", "unknown or malformed retry error \"rcpt_5xx\""},
        {"* rcpt_4x4 F,1h,1m",
         "rcpt_4 must be followed by xx, dx, or dd, where x is literal and d is any digit"},
        {"* quota_2x F,1h,1m", "bad time value"},
        {"* * X,1h,10m", "unknown retry rule letter"},
        {"* * F,1h", "comma expected"},
        {"* * G,1h,10m", "comma expected"},
        {"* * ;F,1h,10m", "comma expected"},
        {"* * F,1h,10m;;", "comma expected"},
        {"* * F , 1h , 10m", "comma expected"},
        {"* * F,1h,10m,2", "semicolon expected"},
        {"* * F,1h,10m G,2h", "semicolon expected"},
        {"* * G,1h,10m,0.5", "bad parameters for retry rule"},
        {"* * G,1h,10m,1.5x", "bad parameters for retry rule"},
        {"* * F,bad,10m", "bad parameters for retry rule"},
        {"* * F,0s,10m", "bad parameters for retry rule"},
        {"* * F,1h,0s", "bad parameters for retry rule"},
    };
    for (const auto& c : cases) {
      RetryRule r;
      CHECK_MESSAGE(engine::retry_rule_parse(c.in, r) == c.want, "rule: ", c.in);
    }
  }

  TEST_CASE("load reports every bad line with its location") {
    auto cfg = engine::config::read_string("begin retry\n* bogus F,1h,1m\n* * F,1h\n* * F,1h,1m\n",
                                           "t.conf");
    REQUIRE(cfg.ok());
    auto rules = engine::retry_rules_load(*cfg);
    REQUIRE_FALSE(rules.ok());
    CHECK(rules.error().message ==
          "t.conf:2: unknown or malformed retry error \"bogus\"\nt.conf:3: comma expected");
  }

  TEST_CASE("error matching") {
    engine::RetryErrorSpec s;
    auto m = [&](std::string_view spec, RetryError e) {
      REQUIRE(engine::retry_error_parse(spec, s).empty());
      return engine::retry_error_matches(s, e);
    };
    CHECK(m("*", {RetryErrorKind::Quota}));
    CHECK(m("rcpt_4xx", {RetryErrorKind::Rcpt4xx, 451}));
    CHECK(m("rcpt_45x", {RetryErrorKind::Rcpt4xx, 452}));
    CHECK_FALSE(m("rcpt_45x", {RetryErrorKind::Rcpt4xx, 421}));
    CHECK(m("rcpt_452", {RetryErrorKind::Rcpt4xx, 452}));
    CHECK_FALSE(m("rcpt_452", {RetryErrorKind::Mail4xx, 452}));
    CHECK(m("timeout", {RetryErrorKind::TimeoutConnect}));
    CHECK_FALSE(m("timeout_connect", {RetryErrorKind::Timeout}));
    CHECK(m("refused_MX", {RetryErrorKind::Refused, 0, true}));
    CHECK_FALSE(m("refused_MX", {RetryErrorKind::Refused, 0, false}));
    CHECK(m("refused_A", {RetryErrorKind::Refused, 0, false}));
    CHECK(m("quota", {RetryErrorKind::Quota}));
    CHECK(m("quota_4d", {RetryErrorKind::Quota, 0, false, 5 * 86400}));
    CHECK_FALSE(m("quota_4d", {RetryErrorKind::Quota, 0, false, 3 * 86400}));
    CHECK_FALSE(m("quota_4d", {RetryErrorKind::Quota, 0, false, -1}));
  }

  TEST_CASE("finding a rule: addresses, domains, hosts, senders") {
    auto rules = rules_of(
        "alice@wonderland.example quota F,7d,3h\n"
        "wonderland.example * F,1h,15m\n"
        "^\\N[^@]+@xyz\\d+\\.example$\\N * G,1h,10m,2\n"
        "* rcpt_4xx senders=: F,1h,30m\n"
        "p.q.r.example * F,24h,30m\n"
        "* * F,2h,15m; G,16h,1h,1.5; F,4d,6h\n");
    lang::EvalContext ctx;
    auto find = [&](std::string subject, std::string alt, RetryError e,
                    const std::string* sender = nullptr) {
      const RetryRule* r = engine::retry_find_rule(rules, ctx, {subject, alt, e, sender});
      return r ? r->loc.line : 0;
    };
    CHECK(find("alice@wonderland.example", "", {RetryErrorKind::Quota}) == 2);
    CHECK(find("bob@wonderland.example", "", {RetryErrorKind::Quota}) == 3);
    CHECK(find("*@wonderland.example", "", {RetryErrorKind::Quota}) == 3);
    CHECK(find("*@xyz12.example", "", {}) == 4);
    CHECK(find("*@other.example", "", {RetryErrorKind::Rcpt4xx, 452}) == 7);
    std::string null_sender;
    CHECK(find("u@other.example", "", {RetryErrorKind::Rcpt4xx, 452}, &null_sender) == 5);
    // A host first, then the mail domain (spec 32.4).
    CHECK(find("*@x.y.z.example", "*@wonderland.example", {}) == 3);
    CHECK(find("*@p.q.r.example", "*@wonderland.example", {}) == 3);
  }

  TEST_CASE("no rule matches") {
    auto rules = rules_of("a.example * F,1h,1m\n");
    lang::EvalContext ctx;
    CHECK(engine::retry_find_rule(rules, ctx, {"*@b.example", "", {}, nullptr}) == nullptr);
  }

  TEST_CASE("next retry times") {
    RetryRule r = parse_ok("* * F,2h,15m; G,16h,1h,1.5; F,4d,6h");
    const int64_t t0 = 1'000'000, day = 86400, max = day;
    // Fixed intervals during the first two hours.
    auto t = engine::retry_next(r, t0, 0, t0, max);
    CHECK(t.next_try == t0 + 900);
    CHECK_FALSE(t.expired);
    t = engine::retry_next(r, t0, 900, t0 + 7000, max);
    CHECK(t.next_try == t0 + 7000 + 900);
    // Geometric: 1h, then 1.5h, then 2.25h ... each above the previous gap.
    t = engine::retry_next(r, t0, 900, t0 + 3 * 3600, max);
    CHECK(t.next_try == t0 + 3 * 3600 + 3600);
    t = engine::retry_next(r, t0, 3600, t0 + 4 * 3600, max);
    CHECK(t.next_try == t0 + 4 * 3600 + 5400);
    t = engine::retry_next(r, t0, 5400, t0 + 6 * 3600, max);
    CHECK(t.next_try == t0 + 6 * 3600 + 8100);
    // Then every 6 hours, until 4 days: expired after.
    t = engine::retry_next(r, t0, 8100, t0 + 2 * day, max);
    CHECK(t.next_try == t0 + 2 * day + 6 * 3600);
    t = engine::retry_next(r, t0, 6 * 3600, t0 + 4 * day + 1, max);
    CHECK(t.expired);
    CHECK(t.next_try == t0 + 4 * day + 1 + 6 * 3600);
  }

  TEST_CASE("interval cap, H randomness, rules without parameters") {
    RetryRule g = parse_ok("* * G,30d,1d,3");
    auto t = engine::retry_next(g, 0, 2 * 86400, 100, 86400);
    CHECK(t.next_try == 100 + 86400);
    RetryRule h = parse_ok("* * H,1d,10m,2");
    t = engine::retry_next(h, 0, 1200, 100, 86400, [] { return 0.5; });
    // Grows 600 -> 1200 -> 2400 (above the 1200 gap); random between 600 and 2400.
    CHECK(t.next_try == 100 + 600 + 900);
    RetryRule none = parse_ok("* quota");
    t = engine::retry_next(none, 0, 0, 100, 86400);
    CHECK(t.expired);
    CHECK(engine::retry_final_cutoff(none) == 0);
    CHECK(engine::retry_final_cutoff(g) == 30 * 86400);
  }
}

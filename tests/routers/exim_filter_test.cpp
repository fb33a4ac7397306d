// Tests for routers/exim_filter: parsing (with Exim's error texts, as exim -bf reports them)
// and running Exim filters against message headers and variables.
#include "routers/exim_filter.h"

#include <doctest/doctest.h>

#include <map>

#include "engine/route_vars.h"

using routers::FilterResult;
using Result = FilterResult::Result;

namespace {

class Message : public lang::VariableSource {
 public:
  std::map<std::string, std::string, std::less<>> vars{
      {"local_part", "me"},
      {"domain", "example.org"},
      {"message_size", "2048"},
      {"sender_address", "friend@elsewhere.example"}};
  std::map<std::string, std::string, std::less<>> headers{
      {"subject", "Make money fast"},
      {"from", "Friend <friend@elsewhere.example>"},
      {"to", "Me <me@example.org>, other@example.net"}};
  bool get(std::string_view name, std::string& out) const override {
    auto it = vars.find(name);
    if (it == vars.end()) return false;
    out = it->second;
    return true;
  }
  bool header(std::string_view, std::string_view name, std::string& out) const override {
    auto it = headers.find(std::string(name));
    if (it == headers.end()) return false;
    out = it->second;
    return true;
  }
};

struct Run {
  FilterResult r;
  std::string error;
};

Run run(std::string_view body, routers::FilterOptions o = {}) {
  std::string text = "# Exim filter\n" + std::string(body);
  routers::ParsedFilter pf = routers::parse_exim_filter(text);
  if (!pf.program) return {{}, pf.error};
  Message m;
  engine::RouteVariables vars(&m);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  o.qualify_domain = "example.org";
  o.user_address = "me@example.org";
  o.home = "/home/me";
  return {routers::run_exim_filter(*pf.program, ctx, vars, o), ""};
}

std::string actions(const FilterResult& r) {
  std::string s;
  for (const auto& a : r.actions)
    s += (s.empty() ? "" : " ") + std::string(a.significant ? "" : "~") + a.text;
  return s;
}

}  // namespace

TEST_SUITE("routers.exim_filter") {
  TEST_CASE("recognising a filter") {
    using routers::FilterType;
    CHECK(routers::filter_type("# Exim filter\n") == FilterType::Exim);
    CHECK(routers::filter_type("  #exim   FILTER <<== comment\n") == FilterType::Exim);
    CHECK(routers::filter_type("# Sieve filter\n") == FilterType::Sieve);
    CHECK(routers::filter_type("# Exim filtering\n") == FilterType::Exim);  // as Exim: a prefix
    CHECK(routers::filter_type("alice, bob") == FilterType::None);
    CHECK(routers::filter_type("# Exim\n") == FilterType::None);
  }

  TEST_CASE("syntax errors, worded as Exim does") {
    struct {
      const char* body;
      const char* want;
    } cases[] = {
        {"if $h_subject: contains \"money\" save /tmp/mb endif\n",
         "\"and\" or \"or\" or \"then\" expected near line 2 of filter file, but found \"save\""},
        {"if $h_subject: bogus \"money\" then save /tmp/mb endif\n",
         "unrecognized condition word \"bogus\" near line 2 of filter file"},
        {"bogus x\n", "unknown filtering command \"bogus\" near line 2 of filter file"},
        {"if $h_subject: contains \"money\" then\n", "\"endif\" missing at end of filter file"},
        {"save\n", "\"save\" requires an argument near line 3 of filter file"},
        {"if $h_x: is \"\" then testprint unquoted endif endif\n",
         "unexpected \"endif\" command near line 2 of filter file"},
        {"headers add \"X-Foo: bar\"\n",
         "header addition and removal is available only in system filters: near line 2 of filter "
         "file"},
        {"testprint \"unterminated\n", "quoted string not terminated near line 3 of filter file"},
    };
    for (const auto& c : cases) CHECK_MESSAGE(run(c.body).error == c.want, c.body);
  }

  TEST_CASE("commands and significance") {
    struct {
      const char* body;
      Result result;
      const char* actions;
    } cases[] = {
        {"deliver friend\n", Result::Delivered, "friend@example.org"},
        {"unseen deliver \"A <a@b.example>\"\n", Result::NotDelivered, "~a@b.example"},
        {"save folder\nsave folder\n", Result::Delivered, "/home/me/folder"},
        {"save /abs/dir/\n", Result::Delivered, "/abs/dir/"},
        {"pipe \"/bin/cat $local_part\"\n", Result::Delivered, "|/bin/cat me"},
        {"finish\ndeliver x\n", Result::NotDelivered, ""},
        {"seen finish\n", Result::Delivered, ""},
        {"mail text \"hi\"\n", Result::NotDelivered, "~>"},
        {"seen mail to x@y.z\n", Result::Delivered, ">x@y.z"},
        {"# just a comment\n", Result::NotDelivered, ""},
    };
    for (const auto& c : cases) {
      Run r = run(c.body);
      CHECK_MESSAGE(r.error.empty(), c.body);
      CHECK_MESSAGE(r.r.result == c.result, c.body);
      CHECK_MESSAGE(actions(r.r) == c.actions, c.body);
    }
  }

  TEST_CASE("conditions") {
    struct {
      const char* cond;
      bool want;
    } cases[] = {
        {"$h_subject: contains \"money\"", true},
        {"$h_subject: CONTAINS \"MONEY\"", false},
        {"$h_subject: begins make", true},
        {"$h_subject: ends \"FAST\"", true},
        {"$h_subject: does not end \"fast\"", false},
        {"$h_subject: is \"make money fast\"", true},
        {"$h_subject: is not \"x\"", true},
        {"$h_subject: matches \"^([a-z]+) ([a-z]+)\" and $2 is money", true},
        {"$h_subject: matches \"^\\\\\\\\w+ (\\\\\\\\w+)\" and $1 is money", true},
        {"$message_size is above 1k", true},
        {"$message_size is not below 2k", true},
        {"99999999999999991k is above 99999999999999990", true},  // saturates (fuzz)
        {"-99999999999999991m is below -1", true},
        {"not $h_x-none: is \"\" or $h_subject: is x", false},
        {"(error_message or delivered) or first_delivery", true},
        {"foranyaddress $h_to: ($thisaddress is \"other@example.net\")", true},
        {"foranyaddress $h_to: ($thisaddress is \"nobody@example.net\")", false},
        {"personal", true},
        {"personal alias other@example.net", true},
    };
    for (const auto& c : cases) {
      Run r = run("if " + std::string(c.cond) + " then deliver yes endif\n");
      CHECK_MESSAGE(r.error.empty(), c.cond);
      CHECK_MESSAGE(r.r.result == (c.want ? Result::Delivered : Result::NotDelivered),
                    std::string(c.cond));
    }
  }

  TEST_CASE("add, testprint, fail/defer/freeze permissions, errors_to, expansion errors") {
    Run r = run("add 3 to n1\nadd $n1 to n1\ntestprint \"n1=$n1 $thisaddress\"\n");
    CHECK(r.r.testprint == std::vector<std::string>{"n1=6 "});
    r = run("add 9223372036854775807 to n2\nadd 1 to n2\ntestprint $n2\n");  // saturates
    CHECK(r.r.testprint == std::vector<std::string>{"9223372036854775807"});
    r = run("fail text \"no way\"\n");
    CHECK(r.r.result == Result::Error);
    CHECK(r.r.message == "filtering command \"fail\" is disabled: near line 2 of filter file");
    routers::FilterOptions o;
    o.allow_fail = o.allow_defer = true;
    r = run("deliver x\nfail text \"no way\"\n", o);
    CHECK(r.r.result == Result::Fail);
    CHECK(r.r.message == "no way");
    CHECK(actions(r.r) == "x@example.org");
    CHECK(run("defer\n", o).r.result == Result::Defer);
    r = run("deliver a@b.example errors_to me@x.y\n");
    CHECK(r.r.message == "errors_to must point to the caller's address");
    r = run("deliver a@b.example errors_to me@example.org\n");
    REQUIRE(r.r.actions.size() == 1);
    CHECK(r.r.actions[0].errors_to == std::optional<std::string>("me@example.org"));
    r = run("deliver \"${if eq{a}{b}\"\n");
    CHECK(r.r.result == Result::Error);
    CHECK(r.r.message.rfind("failed to expand \"${if eq{a}{b}\" in deliver command: ", 0) == 0);
    o.forbid_pipe = true;
    CHECK(run("pipe /bin/true\n", o).r.message ==
          "filtering command \"pipe\" is disabled: near line 2 of filter file");
  }
}

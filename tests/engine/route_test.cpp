// Tests for engine/route: the chain's generic options and results (spec chapter 15), with
// -bt outputs worked out from Exim 4.96's behaviour (checked against exim4 -bt).
#include "engine/route.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "tests/engine/route_helper.h"

using engine::RouteMode;
using routers::RouterResult;
using testroute::conf;
using testroute::Routing;

TEST_SUITE("engine.route") {
  TEST_CASE("build: transports required and forbidden, router names checked") {
    struct {
      const char* routers;
      const char* want;
    } cases[] = {
        {"r:\n driver = accept\n", "router r: a transport is required for this router"},
        {"r:\n driver = redirect\n data = x\n transport = local\n",
         "router r: a transport must not be defined for this router"},
        {"r:\n driver = accept\n transport = local\n pass_router = nosuch\n",
         "router r: pass_router \"nosuch\" not found"},
        {"r:\n driver = accept\n transport = local\n pass_router = r\n",
         "router r: pass_router \"r\" must be a router that follows this one"},
        {"r:\n driver = accept\n transport = local\n redirect_router = x\n",
         "router r: redirect_router \"x\" not found"},
        {"r:\n driver = manualroute\n transport = local\n",
         "router r: route_list or route_data (but not both) must be specified"},
        {"r:\n driver = redirect\n data = x\n file = /y\n",
         "router r: only one of \"file\" or \"data\" must be specified"},
        {"r:\n driver = redirect\n data = x\n allow_filter\n",
         "router r: \"user\" or \"check_local_user\" must be set with \"allow_filter\""},
        {"r:\n driver = accept\n transport = local\n self = bogus\n",
         "router r: bogus is not valid for the self option"},
        {"r:\n driver = accept\n verify_only\n", ""},
    };
    for (const auto& c : cases) {
      Routing r(conf(c.routers));
      CHECK_MESSAGE(r.build_error == c.want, c.routers);
    }
  }

  TEST_CASE("preconditions: domains, local_parts, senders, condition, $domain_data") {
    Routing r(conf(R"(
vip:
  driver = accept
  domains = +local_domains
  senders = *@vip.example
  address_data = vip:$domain_data
  transport = local
named:
  driver = accept
  domains = +local_domains
  local_parts = alice : bob
  condition = ${if !eq{$local_part}{bob}}
  address_data = $local_part_data
  transport = local
)"));
    auto f = r.route("alice@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->router_name == "named");
    CHECK(f.lists.local[0]->prop.address_data == "alice");
    CHECK(r.route("bob@example.org").top == RouterResult::Fail);
    f = r.route("bob@example.net", RouteMode::Deliver, "boss@vip.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->prop.address_data == "vip:example.net");
    f = r.route("carol@example.org");
    CHECK(f.top == RouterResult::Fail);
    CHECK(f.address->message == "Unrouteable address");
  }

  TEST_CASE("local_part_prefix and _suffix, with wildcards and optional") {
    Routing r(conf(R"(
affix:
  driver = accept
  local_part_prefix = *- : owner-
  local_part_suffix = =* : -request
  local_part_suffix_optional
  address_data = $local_part_prefix|$local_part_prefix_v|$local_part|$local_part_suffix|$local_part_suffix_v
  transport = local
)"));
    struct {
      const char* in;
      const char* want;
    } cases[] = {
        {"joe-foo@x.example", "joe-|joe|foo||"},
        {"owner-list@x.example", "owner-|owner|list||"},
        {"a-b-c=d=e@x.example", "a-b-|a-b|c|=d=e|d=e"},
        {"x-y-request@x.example", "x-y-|x-y|request||"},  // "*-" takes the longest prefix
    };
    for (const auto& c : cases) {
      auto f = r.route(c.in);
      REQUIRE_MESSAGE(f.lists.local.size() == 1, c.in);
      CHECK(f.lists.local[0]->prop.address_data == c.want);
    }
    CHECK(r.route("plain@x.example").top == RouterResult::Fail);  // the prefix is mandatory
  }

  TEST_CASE("caseful_local_part: $local_part keeps its case, lists compare exactly") {
    Routing r(conf(R"(
caseful:
  driver = accept
  caseful_local_part
  local_parts = +caseful : CamelCase
  transport = local
other:
  driver = accept
  local_parts = camelcase
  address_data = $local_part
  transport = local
)"));
    CHECK(r.route("CamelCase@x.example").lists.local[0]->router_name == "caseful");
    auto f = r.route("CAMELCASE@x.example");
    CHECK(f.lists.local[0]->router_name == "other");
    CHECK(f.lists.local[0]->prop.address_data == "camelcase");
  }

  TEST_CASE("more, pass_router, fail_verify, cannot_route_message, address_data forced fail") {
    Routing r(conf(R"(
first:
  driver = redirect
  data = ${if eq{$local_part}{dec}{}{x@elsewhere.example}}
  domains = more.example
  more = ${if eq{$local_part}{dec}{no}{yes}}
skip_data:
  driver = accept
  domains = data.example
  address_data = ${if eq{$local_part}{fail}{${if eq{a}{b}{x}fail}}{ok}}
  no_more
  transport = local
failv:
  driver = accept
  domains = failv.example
  fail_verify_recipient
  transport = local
last:
  driver = accept
  domains = ! more.example
  local_parts = ! nobody
  transport = local
  cannot_route_message = no user $local_part here
)"));
    auto f = r.route("dec@more.example");
    CHECK(f.top == RouterResult::Fail);
    CHECK(f.address->message == "Unrouteable address");  // the skipped "last" has the message
    CHECK(r.route("fail@data.example").top == RouterResult::Fail);
    CHECK(r.route("ok@data.example").top == RouterResult::Accept);
    CHECK(r.route("x@failv.example").top == RouterResult::Accept);
    auto v = r.verify("x@failv.example");
    CHECK(v.status == RouterResult::Fail);
    CHECK(v.message == "failv router forced verify failure");
    f = r.route("nobody@example.org");
    CHECK(f.address->message == "no user nobody here");
    CHECK(f.address->user_message == "no user nobody here");
  }

  TEST_CASE("unseen: the routed address and a clone become children of a copy") {
    Routing r(conf(R"(
archive:
  driver = accept
  local_parts = ceo
  unseen = ${if eq{$domain}{example.org}}
  transport = local
box:
  driver = accept
  transport = remote
)"));
    auto f = r.route("ceo@example.org");
    REQUIRE(f.lists.local.size() == 1);
    REQUIRE(f.lists.remote.size() == 1);
    const engine::Address& a = *f.lists.local[0];
    const engine::Address& b = *f.lists.remote[0];
    REQUIRE(a.parent);
    CHECK(a.parent == b.parent);
    CHECK(a.parent->address == "ceo@example.org");
    CHECK(a.unique == "ceo@example.org/archive");
    f = r.route("ceo@example.net");
    CHECK(f.lists.local.size() == 1);
    CHECK(f.lists.remote.empty());
  }

  TEST_CASE("unseen with a bad value defers with Exim's message") {
    Routing r(
        conf("r:\n driver = accept\n unseen = ${if eq{a}{a}{maybe}}\n transport = local\n"
             "s:\n driver = accept\n transport = local\n"));
    auto f = r.route("x@y.example");
    CHECK(f.top == RouterResult::Defer);
    CHECK(f.address->message ==
          "\"maybe\" is not a valid value for the \"unseen\" option in the r "
          "router");
  }

  TEST_CASE("set and $r_ variables, address_data propagated to children") {
    Routing r(conf(R"(
setter:
  driver = redirect
  domains = set.example
  set = r_one = 1 ; r_two = ${eval:$r_one+1}
  address_data = d$r_two
  data = target@done.example
done:
  driver = accept
  domains = done.example
  condition = ${if eq{$r_two}{2}}
  transport = local
)"));
    auto f = r.route("s@set.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->prop.address_data == "d2");
    CHECK(f.lists.local[0]->prop.vars.at("r_one") == "1");
  }

  TEST_CASE("check_local_user sets $home; router_home_directory overrides it") {
    Routing r(conf(R"(
user:
  driver = accept
  check_local_user
  local_parts = root
  address_data = $home:$local_user_uid:$local_part_data
  transport = local
other:
  driver = accept
  check_local_user
  router_home_directory = /h/$local_part
  address_data = $home
  transport = local
)"));
    auto f = r.route("root@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->prop.address_data.find(":0:root") != std::string::npos);
    CHECK(f.lists.local[0]->ids.uid == 0u);
    CHECK(r.route("no-such-user-here@example.org").top == RouterResult::Fail);
  }

  TEST_CASE("require_files: existence, !, and expansion") {
    std::string dir = FACTEUR_SOURCE_DIR;
    Routing r(conf("files:\n driver = accept\n require_files = " + dir + "/CMakeLists.txt : !" +
                   dir +
                   "/no-such-file : ${if eq{$local_part}{skip}"
                   "{/no-such}{}}\n transport = local\n"));
    CHECK(r.route("ok@x.example").top == RouterResult::Accept);
    CHECK(r.route("skip@x.example").top == RouterResult::Fail);
  }

  TEST_CASE("errors_to is verified in delivery, headers_add collected") {
    Routing r(conf(R"(
list:
  driver = redirect
  local_parts = list
  data = a@example.org
  errors_to = owner@example.org
  headers_add = X-List: $local_part
  headers_add = ${if eq{a}{b}{X-No: no}fail}
  headers_remove = Received
bad_errors:
  driver = redirect
  local_parts = bad
  data = a@example.org
  errors_to = nobody@nowhere.example
users:
  driver = accept
  domains = example.org
  local_parts = a : owner
  transport = local
)"));
    auto f = r.route("list@example.org");
    REQUIRE(f.lists.local.size() == 1);
    const engine::AddressProps& p = f.lists.local[0]->prop;
    CHECK(p.errors_to == std::optional<std::string>("owner@example.org"));
    CHECK(p.headers_add == std::vector<std::string>{"X-List: list\n"});
    CHECK(p.headers_remove == std::vector<std::string>{"Received"});
    f = r.route("bad@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(!f.lists.local[0]->prop.errors_to);  // it did not verify: the sender gets errors
  }

  TEST_CASE("redirect loops: an ancestor routed by the same router is skipped") {
    Routing r(conf(R"(
aliases:
  driver = redirect
  data = ${if eq{$local_part}{loop1}{loop2}{${if eq{$local_part}{loop2}{loop1}fail}}}
)"));
    auto [rc, out] = r.bt({"loop1@example.org"});
    CHECK(rc == 2);
    CHECK(out ==
          "loop1@example.org is undeliverable: Unrouteable address\n"
          "    <-- loop2@example.org\n"
          "    <-- loop1@example.org\n");
  }

  TEST_CASE("self: the first host is this host") {
    Routing r(conf(R"(
mr:
  driver = manualroute
  route_list = send.example 127.0.0.1:192.0.2.5 ; * 127.0.0.1
  self = ${if eq{a}{a}{defer}}
  transport = remote
)"));
    // self is not expanded: an unexpandable value is a configuration error.
    CHECK(r.build_error == "router mr: ${if eq{a}{a}{defer}} is not valid for the self option");
    Routing p(
        conf("mr:\n driver = manualroute\n route_list = * 127.0.0.1\n self = pass\n"
             " transport = remote\nnext:\n driver = accept\n transport = local\n"));
    auto f = p.route("x@y.example");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->router_name == "next");
    Routing s(
        conf("mr:\n driver = manualroute\n route_list = * 127.0.0.1:192.0.2.5\n"
             " self = send\n transport = remote\n"));
    CHECK(s.bt({"x@y.example"}).second ==
          "x@y.example\n  router = mr, transport = remote\n"
          "  host 127.0.0.1 [127.0.0.1]\n  host 192.0.2.5 [192.0.2.5]\n");
    Routing d(conf("mr:\n driver = manualroute\n route_list = * 127.0.0.1\n transport = remote\n"));
    CHECK(d.bt({"x@y.example"}) ==
          std::pair<int, std::string>{1,
                                      "x@y.example cannot be resolved at this time: remote "
                                      "host address is the local host\n"});
  }

  TEST_CASE("translate_ip_address replaces host addresses") {
    Routing r(
        conf("mr:\n driver = manualroute\n route_list = * 192.0.2.1:192.0.2.2\n"
             " translate_ip_address = ${if eq{$host_address}{192.0.2.1}{198.51.100.1}fail}\n"
             " transport = remote\n"));
    CHECK(r.bt({"x@y.example"}).second ==
          "x@y.example\n  router = mr, transport = remote\n"
          "  host 192.0.2.1 [198.51.100.1]\n  host 192.0.2.2 [192.0.2.2]   \n");  // padded
  }

  TEST_CASE("percent_hack_domains: u%d@hack becomes a child u@d, hacked again while in the list") {
    Routing r("percent_hack_domains = example.org : ${if eq{1}{1}{hack.example}}\n" +
              conf("local:\n driver = accept\n transport = local\n"));
    CHECK(r.bt({"A%b%hack.example@example.org"}).second ==
          "A@b\n    <-- A%b%hack.example@example.org\n  router = local, transport = local\n");
    CHECK(r.bt({"\"u%example.org\"@example.org"}).second ==
          "u@example.org\n    <-- \"u%example.org\"@example.org\n"
          "  router = local, transport = local\n");
    CHECK(r.bt({"u%x@example.net"}).second ==  // not a hack domain
          "u%x@example.net\n  router = local, transport = local\n");
    Routing off(conf("local:\n driver = accept\n transport = local\n"));
    CHECK(off.bt({"u%x@example.org"}).second ==
          "u%x@example.org\n  router = local, transport = local\n");
  }
}

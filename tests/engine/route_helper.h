// tests/engine/route_helper.h — what the routing tests share: a configuration read from a
// string with its router chain, and ways to run it.
//
//   Routing r(R"(... begin routers ...)");
//   r.bt({"alice@example.org"})        {exit status, stdout} of -bt (bv() for -bv)
//   r.route("a@b.c")                   every list after routing the address fully
//   r.verify("a@b.c", RouteMode::...)  the short-form VerifyOutcome
//   FakeResolver                       answers DNS and byname lookups from tables
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/config/config.h"
#include "engine/host_lookup.h"
#include "engine/named_lists.h"
#include "engine/route.h"
#include "engine/variables.h"
#include "engine/verify.h"

namespace testroute {

class FakeResolver : public engine::HostResolver {
 public:
  std::map<std::string, std::vector<std::string>> dns, names;
  std::map<std::string, std::vector<engine::MxRecord>> mx;
  std::vector<std::string> again;  // names whose lookups time out
  engine::HostStatus dns_addresses(lang::EvalContext&, std::string_view name, bool,
                                   std::vector<std::string>& out, std::string& error) override {
    return answer(dns, name, out, error);
  }
  engine::HostStatus byname(lang::EvalContext&, std::string_view name,
                            std::vector<std::string>& out, std::string& error) override {
    return answer(names, name, out, error);
  }
  engine::HostStatus dns_mx(lang::EvalContext&, std::string_view domain,
                            std::vector<engine::MxRecord>& out, std::string& error) override {
    auto it = mx.find(std::string(domain));
    if (it == mx.end()) return error = "no MX", engine::HostStatus::NotFound;
    out = it->second;
    return engine::HostStatus::Found;
  }

 private:
  engine::HostStatus answer(const std::map<std::string, std::vector<std::string>>& table,
                            std::string_view name, std::vector<std::string>& out,
                            std::string& error) {
    for (const std::string& a : again)
      if (a == name) return error = "timeout", engine::HostStatus::Again;
    auto it = table.find(std::string(name));
    if (it == table.end()) return error = "not found", engine::HostStatus::NotFound;
    out = it->second;
    return engine::HostStatus::Found;
  }
};

// Installs a resolver for the lifetime of the object.
struct ResolverScope {
  explicit ResolverScope(engine::HostResolver* r) { engine::set_host_resolver(r); }
  ~ResolverScope() { engine::set_host_resolver(nullptr); }
};

class Routing {
 public:
  explicit Routing(std::string_view text) {
    auto c = engine::config::read_string(text, "test.conf");
    if (!c) FAIL("configuration: ", engine::config::format_error(c.error()));
    cfg = std::make_unique<engine::config::Config>(std::move(*c));
    vars = std::make_unique<engine::Variables>(cfg.get());
    lists = std::make_unique<engine::ConfigNamedLists>(*cfg);
    ctx.vars = vars.get();
    ctx.lists = lists.get();
    auto ch = engine::RouterChain::build(*cfg);
    if (!ch) {
      build_error = ch.error().message;
      return;
    }
    chain.emplace(std::move(*ch));
  }

  // -bt (test) or -bv: {exit status, output}.
  std::pair<int, std::string> run(std::vector<std::string> args, bool test,
                                  std::string sender = "caller@example.org") {
    REQUIRE(chain);
    engine::AddressTestOptions o;
    o.test = test;
    o.sender = sender;
    vars->set("sender_address", sender);
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* out = open_memstream(&buf, &len);
    int rc = engine::run_address_test(*chain, ctx, o, args, stdin, out);
    std::fclose(out);
    std::string s(buf, len);
    std::free(buf);
    return {rc, s};
  }
  std::pair<int, std::string> bt(std::vector<std::string> args,
                                 std::string sender = "caller@example.org") {
    return run(std::move(args), true, std::move(sender));
  }
  std::pair<int, std::string> bv(std::vector<std::string> args) { return run(args, false); }

  // Routes `address` and everything it generates (pipes and files are left in `pending`
  // order in `deliveries`); returns the result of the top-level address.
  struct Full {
    routers::RouterResult top = routers::RouterResult::Accept;
    engine::AddressPtr address;
    engine::RouteLists lists;
    std::vector<engine::AddressPtr> deliveries, failed, deferred;
  };
  Full route(std::string address, engine::RouteMode mode = engine::RouteMode::Deliver,
             std::string sender = "caller@example.org") {
    REQUIRE(chain);
    engine::RouteEnv env = environment(mode, sender);
    Full f;
    f.address = engine::make_address(std::move(address));
    f.lists.pending.push_back(f.address);
    bool first = true;
    while (!f.lists.pending.empty()) {
      engine::AddressPtr a = f.lists.pending.front();
      f.lists.pending.pop_front();
      if (engine::is_delivery_address(*a)) {
        f.deliveries.push_back(a);
        continue;
      }
      routers::RouterResult rc = engine::route_address(a, env, f.lists);
      if (first) f.top = rc;
      first = false;
      if (rc == routers::RouterResult::Fail) f.failed.push_back(a);
      if (rc == routers::RouterResult::Defer) f.deferred.push_back(a);
    }
    return f;
  }

  engine::VerifyOutcome verify(std::string address,
                               engine::RouteMode mode = engine::RouteMode::VerifyRecipient,
                               std::string sender = "caller@example.org") {
    REQUIRE(chain);
    engine::RouteEnv env = environment(mode, sender);
    engine::VerifySettings vs;
    vs.mode = mode;
    return engine::verify_address(std::move(address), env, vs);
  }

  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::Variables> vars;
  std::unique_ptr<engine::ConfigNamedLists> lists;
  lang::EvalContext ctx;
  std::optional<engine::RouterChain> chain;
  std::string build_error;

 private:
  engine::RouteEnv environment(engine::RouteMode mode, const std::string& sender) {
    engine::RouteEnv env;
    env.chain = &*chain;
    env.ctx = &ctx;
    env.mode = mode;
    env.sender = mode == engine::RouteMode::VerifySender ? "" : sender;
    vars->set("sender_address", sender);
    return env;
  }
};

// The common head of test configurations.
inline std::string conf(std::string_view routers, std::string_view transports = "") {
  std::string t(transports);
  if (t.empty()) {
    t = "local:\n  driver = appendfile\n  file = /tmp/x\n"
        "remote:\n  driver = smtp\n"
        "address_file:\n  driver = appendfile\n"
        "address_pipe:\n  driver = pipe\n";
  }
  // Only loopback is this host, whatever the test machine's interfaces are.
  return "primary_hostname = mx.example.org\nqualify_domain = example.org\n"
         "local_interfaces = <; 127.0.0.1 ; ::1\n"
         "domainlist local_domains = example.org : example.net\n"
         "begin routers\n" +
         std::string(routers) + "begin transports\n" + t;
}

}  // namespace testroute

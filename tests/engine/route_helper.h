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

struct Mx {
  int preference = 0;
  std::string name;
};

class FakeResolver : public engine::HostResolver {
 public:
  std::map<std::string, std::vector<std::string>> dns, names;
  std::map<std::string, std::vector<Mx>> mx;
  std::map<std::string, std::vector<util::dns::Record>> srv;  // name: _smtp._tcp.domain
  std::vector<std::string> again;                             // names whose lookups time out
  std::vector<std::string> again_records;  // names whose MX and SRV lookups time out
  std::vector<std::string> asked;          // every dns_records() name, in order
  engine::HostStatus dns_addresses(lang::EvalContext&, std::string_view name, bool,
                                   std::vector<std::string>& out, std::string& error) override {
    return answer(dns, name, out, error);
  }
  engine::HostStatus byname(lang::EvalContext&, std::string_view name,
                            std::vector<std::string>& out, std::string& error) override {
    return answer(names, name, out, error);
  }
  // MX and SRV records from the tables, without search rules; a name with addresses but no
  // such records exists (no data), any other does not.
  engine::DnsRecords dns_records(lang::EvalContext&, std::string_view name, std::uint16_t type,
                                 const engine::DnsSearch&) override {
    engine::DnsRecords r;
    r.name = std::string(name);
    asked.push_back(r.name);
    for (const auto* list : {&again, &again_records})
      for (const std::string& a : *list)
        if (a == name) return r.status = engine::HostStatus::Again, r.error = "timeout", r;
    if (type == util::dns::kMX && mx.count(r.name)) {
      for (const Mx& m : mx[r.name]) {
        util::dns::Record rec;
        rec.type = type;
        rec.host = m.name;
        rec.num[0] = static_cast<std::uint32_t>(m.preference);
        r.records.push_back(rec);
      }
    } else if (type == util::dns::kSRV && srv.count(r.name)) {
      r.records = srv[r.name];
    }
    r.status = r.records.empty() ? engine::HostStatus::NotFound : engine::HostStatus::Found;
    r.no_domain = r.records.empty() && !dns.count(r.name) && !mx.count(r.name);
    return r;
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

// An address's hosts as "name=ip[/mx][:port] ..." (the MX preference only `with_mx`).
inline std::string hosts_of(const engine::Address& a, bool with_mx = false) {
  std::string s;
  for (const engine::Host& h : a.hosts) {
    s += (s.empty() ? "" : " ") + h.name + "=" + h.address;
    if (with_mx && h.mx != engine::Host::kNone) s += "/" + std::to_string(h.mx);
    if (h.port != engine::Host::kNone) s += ":" + std::to_string(h.port);
  }
  return s;
}

}  // namespace testroute

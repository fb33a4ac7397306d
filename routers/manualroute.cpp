// routers/manualroute.cpp — the manualroute router (spec chapter 20): routing rules
// "domain-pattern host-list options" from route_list (semicolon-separated, tried in order) or
// one rule's "host-list options" from route_data (expanded, typically a lookup). The host
// list is expanded (with $0.., and $value from a lookup pattern), then handed to a local
// transport as $host text, or looked up for a remote one (routers/host_list.h). Options:
// randomize, no_randomize, byname, bydns, ipv4_only, ipv4_prefer, or a transport name.
#include <cctype>

#include "engine/config/values.h"
#include "engine/route.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/domainlist.h"
#include "routers/host_list.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::config::DriverOption;
using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"host_all_ignored", T::String, false, "defer"},
    {"host_find_failed", T::String, false, "freeze"},
    {"hosts_randomize", T::Bool, false, "false"},
    {"route_data", T::String, true, ""},
    {"route_list", T::List, false, ""},
    {"same_domain_copy_routing", T::Bool, false, "false"},
};

// Exim's string_dequote: a "quoted string" (backslash escapes) or a word up to white space.
std::string dequote(std::string_view& s) {
  std::string out;
  if (!s.empty() && s[0] == '"') {
    size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out += s[i];
    }
    s.remove_prefix(std::min(s.size(), i + 1));
  } else {
    size_t i = 0;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    out = std::string(s.substr(0, i));
    s.remove_prefix(i);
  }
  s = util::trim(s);
  return out;
}

struct Rule {
  std::string pattern;
  std::string hosts;    // the host list, expanded when used
  std::string options;  // the option words
};

Rule parse_rule(std::string_view s, bool with_pattern) {
  Rule r;
  s = util::trim(s);
  if (with_pattern) r.pattern = dequote(s);
  r.hosts = dequote(s);
  r.options = std::string(s);
  return r;
}

class ManualRoute : public Router {
 public:
  RouterResult route(engine::RouteCall& call) override;
  bool copies_routing() const override { return copy_routing_; }
  static util::Result<std::unique_ptr<Router>> make(const engine::config::InstanceOptions& o);

 private:
  RouterResult find_rule(engine::RouteCall& call, Rule& rule, std::string& hosts);
  RouterResult read_options(engine::RouteCall& call, const Rule& rule, HostLookupOptions& look,
                            bool& randomize, std::string& transport);
  RouterResult route_hosts(engine::RouteCall& call, const std::string& hosts,
                           const HostLookupOptions& look, bool randomize);

  std::vector<Rule> rules_;
  const lang::Program* route_data_ = nullptr;
  bool randomize_ = false, copy_routing_ = false;
  HostFailAction find_failed_ = HostFailAction::Freeze;
  HostFailAction all_ignored_ = HostFailAction::Defer;
};

util::Result<std::unique_ptr<Router>> ManualRoute::make(const engine::config::InstanceOptions& o) {
  auto r = std::make_unique<ManualRoute>();
  std::string list = o.get_string("route_list");
  r->route_data_ = o.program("route_data");
  if (list.empty() == (r->route_data_ == nullptr))
    return util::Error{"route_list or route_data (but not both) must be specified", {}};
  lang::ListReader rd(list, ';');
  std::string item;
  while (rd.next(item))
    if (!util::trim(item).empty()) r->rules_.push_back(parse_rule(item, true));
  r->randomize_ = o.get_bool("hosts_randomize");
  r->copy_routing_ = o.get_bool("same_domain_copy_routing");
  std::string hff = o.get_string("host_find_failed"), hai = o.get_string("host_all_ignored");
  if (!parse_host_fail_action(hff, r->find_failed_))
    return util::Error{"unknown host_find_failed setting \"" + hff + "\"", {}};
  if (!parse_host_fail_action(hai, r->all_ignored_) || r->all_ignored_ == HostFailAction::Ignore)
    return util::Error{"unknown host_all_ignored setting \"" + hai + "\"", {}};
  return std::unique_ptr<Router>(std::move(r));
}

// The rule for the address's domain and its expanded host list; Decline when none applies.
RouterResult ManualRoute::find_rule(engine::RouteCall& call, Rule& rule, std::string& hosts) {
  lang::EvalContext& ctx = call.ctx();
  lang::ValueGuard value_guard(ctx);
  if (route_data_) {
    std::string data;
    RouterResult rc = call.expand_data(*route_data_, "route_data", data);
    if (rc != RouterResult::Accept) return rc;
    rule = parse_rule(data, false);
    if (rule.hosts.empty()) return RouterResult::Decline;
  } else {
    bool found = false;
    for (const Rule& r : rules_) {
      // One domain-list item: a separator that cannot occur keeps it whole.
      lang::ListMatchResult m =
          lang::match_domainlist(ctx, std::string("<\x01") + r.pattern, call.address().domain);
      if (m.outcome == lang::ListMatch::Defer) {
        call.address().message = "lookup defer in route_list";
        return RouterResult::Defer;
      }
      if (m.outcome != lang::ListMatch::Match) continue;
      ctx.value = m.value;
      ctx.value_set = true;
      rule = r;
      found = true;
      break;
    }
    if (!found) return RouterResult::Decline;
  }
  lang::Status st = lang::expand_string(rule.hosts, ctx, hosts);
  if (st.is_fail()) return RouterResult::Decline;
  if (st.is_error()) {
    call.address().message =
        call.router_name() + " router: failed to expand \"" + rule.hosts + "\": " + st.message();
    return RouterResult::Defer;
  }
  return RouterResult::Accept;
}

RouterResult ManualRoute::read_options(engine::RouteCall& call, const Rule& rule,
                                       HostLookupOptions& look, bool& randomize,
                                       std::string& transport) {
  std::string_view s = rule.options;
  while (!(s = util::trim(s)).empty()) {
    size_t n = 0;
    while (n < s.size() && !std::isspace(static_cast<unsigned char>(s[n]))) ++n;
    std::string_view w = s.substr(0, n);
    s.remove_prefix(n);
    if (w == "randomize" || w == "no_randomize")
      randomize = w == "randomize";
    else if (w == "byname")
      look.type = HostLookupOptions::Type::ByName;
    else if (w == "bydns")
      look.type = HostLookupOptions::Type::ByDns;
    else if (w == "ipv4_prefer")
      look.ipv4_prefer = true;
    else if (w == "ipv4_only")
      look.ipv4_only = true;
    else if (call.chain().transport(w))
      transport = std::string(w);
    else {
      call.address().message =
          "error in router: unknown routing option or transport name \"" + std::string(w) + "\"";
      return RouterResult::Defer;
    }
  }
  return RouterResult::Accept;
}

RouterResult ManualRoute::route_hosts(engine::RouteCall& call, const std::string& hosts,
                                      const HostLookupOptions& look, bool randomize) {
  engine::Address& a = call.address();
  if (a.local_transport) {
    if (!hosts.empty())
      a.hosts = {engine::Host{hosts, "", engine::Host::kNone, engine::Host::kNone}};
    return RouterResult::Accept;
  }
  if (hosts.empty()) {
    if (call.verifying()) return RouterResult::Accept;
    a.message =
        "error in " + call.router_name() + " router: no host(s) specified for domain " + a.domain;
    return RouterResult::Defer;
  }
  a.hosts = build_host_list(hosts, randomize);
  return lookup_host_list(call, look);
}

RouterResult ManualRoute::route(engine::RouteCall& call) {
  engine::Address& a = call.address();
  Rule rule;
  std::string hosts, transport;
  RouterResult rc = find_rule(call, rule, hosts);
  if (rc != RouterResult::Accept) return rc;
  HostLookupOptions look;
  look.find_failed = find_failed_;
  look.all_ignored = all_ignored_;
  bool randomize = randomize_;
  if ((rc = read_options(call, rule, look, randomize, transport)) != RouterResult::Accept)
    return rc;
  if ((rc = call.errors_and_headers(a.prop)) != RouterResult::Accept) return rc;
  bool ok = transport.empty() ? call.set_transport(a)
                              : call.set_transport_named(a, transport, "transport");
  if (!ok) return RouterResult::Defer;
  if ((rc = route_hosts(call, hosts, look, randomize)) != RouterResult::Accept) return rc;
  return call.queue(call.address_ptr()) ? RouterResult::Accept : RouterResult::Defer;
}

const RouterRegistrar kRegistrar({"manualroute", kOptions, ManualRoute::make});

}  // namespace
}  // namespace routers

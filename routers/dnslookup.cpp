// routers/dnslookup.cpp — the dnslookup router (spec chapter 17): the hosts of the address's
// domain from the DNS, SRV records first when check_srv names a service, then MX records,
// then the domain's own address records (routers/host_dns.h does the finding).
//
// The domain is looked up as it is, then with each of widen_domains appended while it is not
// found; the resolver's search rules are on as qualify_single and search_parents say. When
// the DNS found it under another name (qualified or widened), the address is rerouted at the
// full name (rewrite_headers rewrites the message's headers to it). A sender being verified
// is neither widened nor qualified while rewrite_headers is on (spec 17.3, widen_domains).
//
// Outcomes: a domain that does not exist, a null MX or SRV, MX hosts that do not exist, all
// hosts ignored (ignore_target_hosts), mx_domains without MX, check_secondary_mx without this
// host among the MX hosts: Decline (Defer for fail_defer_domains). A lookup that did not
// complete: Defer (Pass with pass_on_timeout; mx_fail_domains and srv_fail_domains take it
// as "no records"). This host at the lowest preference: the `self` option.
#include "engine/route.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/domainlist.h"
#include "routers/host_dns.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::config::DriverOption;
using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"check_secondary_mx", T::Bool, false, "false"},
    {"check_srv", T::String, true, ""},
    {"fail_defer_domains", T::List, true, ""},
    {"ipv4_only", T::String, true, ""},
    {"ipv4_prefer", T::String, true, ""},
    {"mx_domains", T::List, true, ""},
    {"mx_fail_domains", T::List, true, ""},
    {"qualify_single", T::Bool, false, "true"},
    {"rewrite_headers", T::Bool, false, "true"},
    {"same_domain_copy_routing", T::Bool, false, "false"},
    {"search_parents", T::Bool, false, "false"},
    {"srv_fail_domains", T::List, true, ""},
    {"widen_domains", T::List, false, ""},
};

enum class InList : unsigned char { No, Yes, Defer };

class DnsLookup : public Router {
 public:
  RouterResult route(engine::RouteCall& call) override;
  bool copies_routing() const override { return copy_routing_; }
  static util::Result<std::unique_ptr<Router>> make(const engine::config::InstanceOptions& o);

 private:
  RouterResult options(engine::RouteCall& call, DnsHostQuery& q);
  RouterResult find(engine::RouteCall& call, DnsHostQuery& q, DnsHosts& found);
  RouterResult not_found(engine::RouteCall& call, const DnsHosts& found);
  RouterResult accept(engine::RouteCall& call, DnsHosts& found);

  const lang::Program* check_srv_ = nullptr;
  const lang::Program* fail_defer_domains_ = nullptr;
  const lang::Program* ipv4_only_ = nullptr;
  const lang::Program* ipv4_prefer_ = nullptr;
  const lang::Program* mx_domains_ = nullptr;
  const lang::Program* mx_fail_domains_ = nullptr;
  const lang::Program* srv_fail_domains_ = nullptr;
  std::string widen_domains_;
  bool check_secondary_mx_ = false, qualify_single_ = true, rewrite_headers_ = true;
  bool search_parents_ = false, copy_routing_ = false;
};

util::Result<std::unique_ptr<Router>> DnsLookup::make(const engine::config::InstanceOptions& o) {
  auto r = std::make_unique<DnsLookup>();
  r->check_srv_ = o.program("check_srv");
  r->fail_defer_domains_ = o.program("fail_defer_domains");
  r->ipv4_only_ = o.program("ipv4_only");
  r->ipv4_prefer_ = o.program("ipv4_prefer");
  r->mx_domains_ = o.program("mx_domains");
  r->mx_fail_domains_ = o.program("mx_fail_domains");
  r->srv_fail_domains_ = o.program("srv_fail_domains");
  r->widen_domains_ = o.get_string("widen_domains");
  r->check_secondary_mx_ = o.get_bool("check_secondary_mx");
  r->qualify_single_ = o.get_bool("qualify_single");
  r->rewrite_headers_ = o.get_bool("rewrite_headers");
  r->search_parents_ = o.get_bool("search_parents");
  r->copy_routing_ = o.get_bool("same_domain_copy_routing");
  return std::unique_ptr<Router>(std::move(r));
}

// Whether `domain` is in an expanded domain-list option (unset: no).
InList in_list(engine::RouteCall& call, const lang::Program* p, const std::string& domain) {
  if (!p) return InList::No;
  std::string list;
  lang::Status st = call.expand(*p, list);
  if (st.is_fail()) return InList::No;
  if (st.is_error()) return InList::Defer;
  lang::ListMatch m = lang::match_domainlist(call.ctx(), list, domain).outcome;
  if (m == lang::ListMatch::Defer) return InList::Defer;
  return m == lang::ListMatch::Match ? InList::Yes : InList::No;
}

// ipv4_only and ipv4_prefer: anything but a forced failure, "", "0", "no" or "false".
RouterResult flag(engine::RouteCall& call, const lang::Program* p, std::string_view name,
                  bool& out) {
  out = false;
  if (!p) return RouterResult::Accept;
  std::string v;
  lang::Status st = call.expand(*p, v);
  if (st.is_error()) {
    call.address().message = "failed to expand \"" + p->text() + "\" (" + std::string(name) +
                             ") in " + call.router_name() + " router: " + st.message();
    return RouterResult::Defer;
  }
  out = st.is_ok() && !lang::is_false_string(v);
  return RouterResult::Accept;
}

RouterResult DnsLookup::options(engine::RouteCall& call, DnsHostQuery& q) {
  RouterResult rc = flag(call, ipv4_only_, "ipv4_only", q.ipv4_only);
  if (rc == RouterResult::Accept) rc = flag(call, ipv4_prefer_, "ipv4_prefer", q.ipv4_prefer);
  if (rc != RouterResult::Accept || !check_srv_) return rc;
  lang::Status st = call.expand(*check_srv_, q.srv_service);
  if (st.is_error()) {
    call.address().message = "failed to expand \"" + check_srv_->text() + "\" in " +
                             call.router_name() + " router: " + st.message();
    return RouterResult::Defer;
  }
  if (!st.is_ok()) q.srv_service.clear();
  return RouterResult::Accept;
}

// The lookups, widening the domain while it is not found.
RouterResult DnsLookup::find(engine::RouteCall& call, DnsHostQuery& q, DnsHosts& found) {
  engine::Address& a = call.address();
  bool plain_sender = call.mode() == engine::RouteMode::VerifySender && rewrite_headers_;
  q.search.qualify_single = qualify_single_ && !plain_sender;
  q.search.search_parents = search_parents_ && !plain_sender;
  lang::ListReader widen(plain_sender ? std::string_view() : std::string_view(widen_domains_));
  std::string suffix, message;  // the first failure's reason stays (as in Exim)
  do {
    q.domain = suffix.empty() ? a.domain : a.domain + "." + suffix;
    InList srv_fail = in_list(call, srv_fail_domains_, q.domain);
    InList mx_fail = in_list(call, mx_fail_domains_, q.domain);
    if (srv_fail == InList::Defer || mx_fail == InList::Defer) {
      a.message = "lookup defer for srv_fail_domains or mx_fail_domains";
      return RouterResult::Defer;
    }
    q.srv_fail_is_none = srv_fail == InList::Yes;
    q.mx_fail_is_none = mx_fail == InList::Yes;
    found = find_hosts_by_dns(call, q);
    if (found.implicit && found.status != DnsHostStatus::Failed &&
        found.status != DnsHostStatus::Again) {
      InList mxd = in_list(call, mx_domains_, q.domain);
      if (mxd == InList::Defer) {
        a.message = "lookup defer for mx_domains";
        return RouterResult::Defer;
      }
      if (mxd == InList::Yes) found = DnsHosts{};  // an MX record is required: declined
    }
    if (found.status != DnsHostStatus::Failed) return RouterResult::Accept;
    if (message.empty()) message = found.message;
  } while (widen.next(suffix));
  found.message = message;
  return RouterResult::Accept;
}

RouterResult DnsLookup::not_found(engine::RouteCall& call, const DnsHosts& found) {
  engine::Address& a = call.address();
  if (found.status == DnsHostStatus::Again) {
    if (call.options().pass_on_timeout) return RouterResult::Pass;
    a.message = "host lookup did not complete";
    return RouterResult::Defer;
  }
  InList fd = in_list(call, fail_defer_domains_, a.domain);
  if (fd != InList::No) {
    a.message = fd == InList::Defer
                    ? "lookup defer for fail_defer_domains"
                    : "missing MX, or all MXs point to missing A records, and defer requested";
    return RouterResult::Defer;
  }
  a.message = found.message;
  return RouterResult::Decline;
}

RouterResult DnsLookup::accept(engine::RouteCall& call, DnsHosts& found) {
  engine::Address& a = call.address();
  RouterResult rc = call.errors_and_headers(a.prop);
  if (rc != RouterResult::Accept) return rc;
  if (found.status == DnsHostStatus::FoundLocal) {
    rc = call.self_action(found.local);
    if (rc != RouterResult::Accept) return rc;
  }
  if (!call.set_transport(a)) return RouterResult::Defer;
  a.hosts = std::move(found.hosts);
  return call.queue(call.address_ptr()) ? RouterResult::Accept : RouterResult::Defer;
}

RouterResult DnsLookup::route(engine::RouteCall& call) {
  engine::Address& a = call.address();
  DnsHostQuery q;
  DnsHosts found;
  RouterResult rc = options(call, q);
  if (rc == RouterResult::Accept) rc = find(call, q, found);
  if (rc != RouterResult::Accept) return rc;
  if (found.status == DnsHostStatus::Failed || found.status == DnsHostStatus::Again)
    return not_found(call, found);
  if (!util::iequals(found.name, a.domain))
    return call.change_domain(util::to_lower(found.name), rewrite_headers_);
  if (check_secondary_mx_ && found.status == DnsHostStatus::Found && !found.local_removed)
    return RouterResult::Decline;
  return accept(call, found);
}

const RouterRegistrar kRegistrar({"dnslookup", kOptions, DnsLookup::make});

}  // namespace
}  // namespace routers

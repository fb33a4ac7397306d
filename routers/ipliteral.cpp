// routers/ipliteral.cpp — the ipliteral router (spec chapter 18): a domain that is an IP
// address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]", "[IPv4:...]") is routed to that host.
// Addresses in ignore_target_hosts make it decline; this host's own address is handled as
// the `self` option says. No private options.
#include "engine/route.h"
#include "routers/host_list.h"
#include "routers/router.h"
#include "util/ip.h"
#include "util/strings.h"

namespace routers {
namespace {

class IpLiteral : public Router {
 public:
  RouterResult route(engine::RouteCall& call) override;
};

RouterResult IpLiteral::route(engine::RouteCall& call) {
  engine::Address& a = call.address();
  const std::string& d = a.domain;
  if (d.size() < 3 || d.front() != '[' || d.back() != ']') return RouterResult::Decline;
  std::string ip = d.substr(1, d.size() - 2);
  if (util::starts_with_ci(ip, "ipv6:") || util::starts_with_ci(ip, "ipv4:")) ip.erase(0, 5);
  if (!util::IpAddress::parse(ip)) return RouterResult::Decline;
  if (host_ignored(call, d, ip)) {
    a.message = "IP literal host explicitly ignored";
    return RouterResult::Decline;
  }
  engine::Host h{d, ip, engine::Host::kNone, engine::Host::kNone};
  if (call.chain().local_hosts().is_local(ip)) {
    RouterResult rc = call.self_action(h);
    if (rc != RouterResult::Accept) return rc;
  }
  a.hosts = {h};
  return call.accept_address();
}

util::Result<std::unique_ptr<Router>> make(const engine::config::InstanceOptions&) {
  return std::unique_ptr<Router>(std::make_unique<IpLiteral>());
}

const RouterRegistrar kRegistrar({"ipliteral", {}, make});

}  // namespace
}  // namespace routers

// engine/route_chain.cpp — building the router chain from the configuration (see route.h).
#include <memory>

#include "engine/route.h"

namespace engine {
namespace {

using config::DriverKind;
using config::InstanceOptions;
using routers::Router;
using routers::RouterResult;

// A standard Exim router whose driver does not exist here yet (iplookup, queryprogram): it
// defers every address it is offered, saying why.
class UnavailableRouter : public Router {
 public:
  explicit UnavailableRouter(std::string driver) : driver_(std::move(driver)) {}
  RouterResult route(RouteCall& call) override;
  TransportRule transport_rule() const override { return TransportRule::Optional; }

 private:
  std::string driver_;
};

RouterResult UnavailableRouter::route(RouteCall& call) {
  call.address().message = "the " + driver_ + " router driver is not available in this build";
  return RouterResult::Defer;
}

util::Error router_error(const config::Instance& inst, const std::string& what) {
  return util::Error{"router " + inst.name + ": " + what, inst.loc};
}

util::Result<RouterEntry> make_entry(const config::Instance& inst) {
  InstanceOptions io(DriverKind::Router, inst);
  auto opts = read_router_options(io);
  if (!opts) return router_error(inst, opts.error().message);
  RouterEntry e;
  e.opts = std::move(*opts);
  if (const routers::RouterDescriptor* d = routers::find_router(inst.driver)) {
    auto drv = d->make(io);
    if (!drv) return router_error(inst, drv.error().message);
    e.driver = std::move(*drv);
  } else {
    e.driver = std::make_unique<UnavailableRouter>(inst.driver);
  }
  Router::TransportRule rule = e.driver->transport_rule();
  bool has_transport = !e.opts.transport_text.empty();
  if (rule == Router::TransportRule::Required && !has_transport && !e.opts.verify_only)
    return router_error(inst, "a transport is required for this router");
  if (rule == Router::TransportRule::Forbidden && has_transport)
    return router_error(inst, "a transport must not be defined for this router");
  return e;
}

TransportInfo transport_info(const config::Instance& inst) {
  InstanceOptions io(DriverKind::Transport, inst);
  TransportInfo t;
  t.name = inst.name;
  t.driver = inst.driver;
  t.local = transport_driver_is_local(inst.driver);
  t.overrides_hosts = inst.driver == "smtp" && io.get_bool("hosts_override");
  if (inst.driver == "smtp") {
    t.port = io.get_string("port");
    t.helo_data = io.get_string("helo_data");
    t.interface = io.get_string("interface");
    t.hosts = io.get_string("hosts");
  }
  return t;
}

}  // namespace

util::Result<RouterChain> RouterChain::build(const config::Config& cfg) {
  RouterChain c;
  c.cfg_ = &cfg;
  c.local_hosts_ = std::make_shared<const LocalHosts>(&cfg);
  for (const config::Instance& t : cfg.transports) c.transports_.push_back(transport_info(t));
  for (const config::Instance& inst : cfg.routers) {
    auto e = make_entry(inst);
    if (!e) return e.error();
    c.routers_.push_back(std::move(*e));
  }
  for (size_t i = 0; i < c.routers_.size(); ++i) {
    RouterEntry& e = c.routers_[i];
    const config::Instance& inst = cfg.routers[i];
    if (!e.opts.pass_router.empty()) {
      e.pass_router = c.find(e.opts.pass_router);
      if (e.pass_router < 0)
        return router_error(inst, "pass_router \"" + e.opts.pass_router + "\" not found");
      if (e.pass_router <= static_cast<int>(i))
        return router_error(inst, "pass_router \"" + e.opts.pass_router +
                                      "\" must be a router that follows this one");
    }
    if (!e.opts.redirect_router.empty()) {
      e.redirect_router = c.find(e.opts.redirect_router);
      if (e.redirect_router < 0)
        return router_error(inst, "redirect_router \"" + e.opts.redirect_router + "\" not found");
    }
  }
  return c;
}

int RouterChain::find(std::string_view name) const {
  for (size_t i = 0; i < routers_.size(); ++i)
    if (routers_[i].opts.name == name) return static_cast<int>(i);
  return -1;
}

const TransportInfo* RouterChain::transport(std::string_view name) const {
  for (const TransportInfo& t : transports_)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace engine

// routers/router.h — the router family: what a router driver is, what it answers, and the
// registry of drivers (spec chapter 15 "Generic options for routers", chapters 16-22 for
// the drivers; Exim's routers/README for the result codes).
//
// A driver file (routers/accept.cpp, routers/redirect.cpp ...) declares its private options
// as a sorted table, a factory that builds a Router from one configured instance, and ends
// with one RouterRegistrar. Registration also records the driver and its options with the
// configuration reader (engine/config/drivers.h), so "driver = x" and every option of an
// instance are checked when the configuration is read. Adding a driver touches its file and
// its test only. A duplicate name, or an unsorted table, aborts at start-up.
//
// The chain (engine/route.h) tests the generic preconditions (domains, local_parts, senders,
// condition ...) and then calls Router::route() with a RouteCall: the address, the expansion
// context with the address variables set, and the chain's services (errors_to and header
// handling, transports, queuing for delivery, generated addresses, the host resolver).
//
// Results (Exim's OK, DECLINE, PASS, DEFER, FAIL, DISCARD, REROUTED):
//   Accept    the address is handled: queued for a transport, or redirected (children were
//             added with RouteCall::add_new)
//   Decline   not for this router: the next router is tried if `more` is true
//   Pass      hand on to the next router (or pass_router) whatever `more` says
//   Defer     try again later; the address's `message` says why
//   Fail      the address is undeliverable; `message` (and `user_message`) say why
//   Discard   accepted and thrown away (:blackhole:, a filter's "seen finish")
//   Rerouted  the address was replaced by a child (self = reroute, widened domains)
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/drivers.h"
#include "util/result.h"

namespace engine {
class RouteCall;
}

namespace routers {

enum class RouterResult : unsigned char { Accept, Decline, Pass, Defer, Fail, Discard, Rerouted };

std::string_view router_result_name(RouterResult r);  // "accept", "decline" ...

class Router {
 public:
  virtual ~Router() = default;
  // Routes call.address(); the preconditions have been met.
  virtual RouterResult route(engine::RouteCall& call) = 0;
  // Whether the generic `transport` option is required (accept, manualroute, ipliteral) or
  // forbidden (redirect); checked when the chain is built.
  enum class TransportRule : unsigned char { Required, Forbidden, Optional };
  virtual TransportRule transport_rule() const { return TransportRule::Required; }
  // same_domain_copy_routing (spec 17, 20): the routing of an address sent to a remote
  // transport is given to the addresses of the same domain still waiting to be routed.
  virtual bool copies_routing() const { return false; }
};

// Builds a router from an instance's options; an error is a configuration error
// ("route_list or route_data (but not both) must be specified").
using RouterFactory =
    util::Result<std::unique_ptr<Router>> (*)(const engine::config::InstanceOptions& opts);

struct RouterDescriptor {
  std::string_view name;
  std::span<const engine::config::DriverOption> options;  // private options, sorted
  RouterFactory make;
};

void register_router(const RouterDescriptor& d);
const RouterDescriptor* find_router(std::string_view name);
std::vector<std::string_view> router_names();  // sorted

struct RouterRegistrar {
  explicit RouterRegistrar(const RouterDescriptor& d) { register_router(d); }
};

}  // namespace routers

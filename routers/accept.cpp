// routers/accept.cpp — the accept router (spec chapter 16): once the preconditions are met,
// the address is queued for the router's transport. No private options.
#include "engine/route.h"
#include "routers/router.h"

namespace routers {
namespace {

class AcceptRouter : public Router {
 public:
  RouterResult route(engine::RouteCall& call) override {
    engine::Address& a = call.address();
    RouterResult rc = call.errors_and_headers(a.prop);
    if (rc != RouterResult::Accept) return rc;
    if (!call.set_transport(a)) return RouterResult::Defer;
    return call.queue(call.address_ptr()) ? RouterResult::Accept : RouterResult::Defer;
  }
};

util::Result<std::unique_ptr<Router>> make(const engine::config::InstanceOptions&) {
  return std::unique_ptr<Router>(std::make_unique<AcceptRouter>());
}

const RouterRegistrar kRegistrar({"accept", {}, make});

}  // namespace
}  // namespace routers

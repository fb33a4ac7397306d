// routers/accept.cpp — the accept router (spec chapter 16): once the preconditions are met,
// the address is queued for the router's transport. No private options.
#include "engine/route.h"
#include "routers/router.h"

namespace routers {
namespace {

class AcceptRouter : public Router {
 public:
  RouterResult route(engine::RouteCall& call) override { return call.accept_address(); }
};

util::Result<std::unique_ptr<Router>> make(const engine::config::InstanceOptions&) {
  return std::unique_ptr<Router>(std::make_unique<AcceptRouter>());
}

const RouterRegistrar kRegistrar({"accept", {}, make});

}  // namespace
}  // namespace routers

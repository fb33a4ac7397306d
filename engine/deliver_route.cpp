// engine/deliver_route.cpp — the recipients of a message through the router chain (spec 3.10
// "Routing"): each undelivered recipient and everything it generates, skipping what was
// delivered in an earlier attempt and, in queue runs, what waits for its routing retry time.
#include <algorithm>

#include "engine/deliver_internal.h"

namespace engine::deliver_detail {

using routers::RouterResult;

bool MessageDelivery::already_done(const Address& a) const {
  if (msg_.delivered(a.unique.empty() ? a.address : a.unique)) return true;
  return std::find(done_.begin(), done_.end(), a.unique) != done_.end();
}

// A pipe, file or autoreply from a redirection goes straight to its transport.
static std::string delivery_address_error(const Address& a) {
  if (!a.transport_error.empty()) return a.transport_error;
  bool allowed = a.kind == AddressKind::Pipe    ? a.allow_pipe
                 : a.kind == AddressKind::Reply ? a.allow_reply
                                                : a.allow_file;
  if (!allowed) {
    return a.kind == AddressKind::Pipe    ? "delivery to pipe forbidden"
           : a.kind == AddressKind::Reply ? "autoreply forbidden"
                                          : "delivery to file forbidden";
  }
  if (a.transport.empty()) return "no transport set for " + a.address;
  return {};
}

void MessageDelivery::route_one(const AddressPtr& a) {
  if (a->unique.empty()) a->unique = a->address;
  if (already_done(*a)) return;
  if (is_delivery_address(*a)) {
    std::string err = delivery_address_error(*a);
    if (!err.empty()) {
      AddressOutcome o{AddressOutcome::Kind::Failed, err, "", "", "", 0, false, ""};
      failed(a, o, "** " + log_address(*a, false) + " R=" + a->router_name + ": " + err);
      return;
    }
    a->local_transport = true;
    lists_.local.push_front(a);
    return;
  }
  RouteEnv renv;
  renv.chain = env_.chain;
  renv.ctx = &ctx_;
  renv.mode = RouteMode::Deliver;
  renv.sender = msg_.sender;
  renv.resolver = env_.resolver;
  RouterResult rc = route_address(a, renv, lists_);
  std::string router = a->router_name.empty() ? "" : " R=" + a->router_name;
  switch (rc) {
    case RouterResult::Fail: {
      AddressOutcome o{AddressOutcome::Kind::Failed, a->message, "", "", "", 0, false, ""};
      failed(a, o, "** " + log_address(*a, false) + router + ": " + a->message);
      break;
    }
    case RouterResult::Defer: {
      bool use_lp = a->router >= 0 && env_.chain->at(a->router).opts.retry_use_local_part;
      std::string key = "R:" + (use_lp ? a->address : a->domain);
      AddressOutcome o{AddressOutcome::Kind::Deferred, a->message, "", "", "", -1, false, ""};
      if (retry_address_failure(key, *a, RetryErrorKind::Any, 0, a->message, false)) {
        o.kind = AddressOutcome::Kind::Failed;
        o.message = a->message + " (retry timeout exceeded)";
        failed(a, o, "** " + log_address(*a, false) + router + ": " + o.message);
        break;
      }
      deferred(a, o, "== " + log_address(*a, false) + router + " defer (-1): " + a->message);
      break;
    }
    case RouterResult::Discard:
      delivered(a, "=> :blackhole: <" + a->address + ">" + router);
      break;
    default:
      break;
  }
}

void MessageDelivery::route_recipients() {
  for (const auto& r : msg_.recipients) {
    if (msg_.delivered(r.address)) continue;
    AddressPtr a = make_address(r.address);
    if (r.has_parent && !r.errors_to.empty()) a->prop.errors_to = r.errors_to;
    if (!routing_due(*a)) {
      AddressOutcome o{
          AddressOutcome::Kind::Deferred, "retry time not reached", "", "", "", -51, false, ""};
      deferred(a, o, "== " + a->address + " routing defer (-51): retry time not reached");
      continue;
    }
    lists_.pending.push_back(a);
  }
  while (!lists_.pending.empty()) {
    AddressPtr a = lists_.pending.front();
    lists_.pending.pop_front();
    route_one(a);
  }
}

}  // namespace engine::deliver_detail

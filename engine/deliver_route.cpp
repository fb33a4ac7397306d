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

// A routing deferral: a routing retry record (R:domain, or R:address with
// retry_use_local_part); past the rule's cutoff, or with no rule, the address fails.
void MessageDelivery::routing_deferred(const AddressPtr& a, const std::string& router) {
  bool use_lp = a->router >= 0 && env_.chain->at(a->router).opts.retry_use_local_part;
  std::string key = "R:" + (use_lp ? a->address : a->domain);
  if (retry_address_failure(key, *a, RetryErrorKind::Any, 0, a->message, false)) {
    AddressOutcome o = AddressOutcome::failure(a->message + " (retry timeout exceeded)");
    failed(a, o, "** " + log_address(*a, false) + router + ": " + o.message);
    return;
  }
  deferred(a, AddressOutcome::deferral(a->message),
           "== " + log_address(*a, false) + router + " defer (-1): " + a->message);
}

void MessageDelivery::route_one(const AddressPtr& a) {
  if (a->unique.empty()) a->unique = a->address;
  if (already_done(*a)) return;
  if (is_delivery_address(*a)) {
    std::string err = delivery_address_error(*a);
    if (!err.empty()) {
      failed(a, AddressOutcome::failure(err),
             "** " + log_address(*a, false) + " R=" + a->router_name + ": " + err);
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
  if (rc == RouterResult::Fail) {
    failed(a, AddressOutcome::failure(a->message),
           "** " + log_address(*a, false) + router + ": " + a->message);
  } else if (rc == RouterResult::Defer) {
    routing_deferred(a, router);
  } else if (rc == RouterResult::Discard) {
    delivered(a, "=> :blackhole: <" + a->address + ">" + router);
  }
}

void MessageDelivery::route_recipients() {
  for (const auto& r : msg_.recipients) {
    if (msg_.delivered(r.address)) continue;
    AddressPtr a = make_address(r.address);
    if (r.has_parent && !r.errors_to.empty()) a->prop.errors_to = r.errors_to;
    if (!routing_due(*a)) {
      deferred(a, AddressOutcome::deferral("retry time not reached", -51),
               retry_defer_logged()
                   ? "== " + a->address + " routing defer (-51): retry time not reached"
                   : "");
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

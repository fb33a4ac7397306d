// engine/route_call.cpp — the steps routers share (Exim's rf_*.c): errors_to, header
// changes, transports, queuing for delivery, uid/gid, the `self` option (see route.h).
#include <grp.h>
#include <pwd.h>

#include <cctype>

#include "engine/route.h"
#include "engine/verify.h"
#include "lang/lists.h"

namespace engine {
namespace {

using routers::RouterResult;

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;  // a uid or gid, never out of range
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// Verifies an errors_to address as a recipient with an empty sender (spec 15, errors_to).
bool errors_address_verifies(RouteEnv& env, std::string& address) {
  RouteEnv sub = env;
  sub.mode = RouteMode::VerifyRecipient;
  sub.sender.clear();
  sub.debug = nullptr;
  ++sub.depth;
  VerifySettings vs;
  vs.mode = RouteMode::VerifyRecipient;
  VerifyOutcome v = verify_address(address, sub, vs);
  if (v.status != RouterResult::Accept) return false;
  address = v.address;
  return true;
}

// Appends "\n" when missing (header lines are stored complete).
std::string header_line(std::string s) {
  if (s.back() != '\n') s += '\n';
  return s;
}

}  // namespace

lang::Status RouteCall::expand(const lang::Program& p, std::string& out) {
  return p.eval(*env_.ctx, out);
}

RouterResult RouteCall::expand_data(const lang::Program& p, std::string_view option,
                                    std::string& out) {
  lang::Status st = p.eval(*env_.ctx, out);
  if (st.is_fail()) return RouterResult::Decline;
  if (st.is_error()) {
    addr_->message = "failed to expand \"" + p.text() + "\" (" + std::string(option) + ") in " +
                     r_.opts.name + " router: " + st.message();
    return RouterResult::Defer;
  }
  return out.empty() ? RouterResult::Decline : RouterResult::Accept;
}

RouterResult RouteCall::errors_and_headers(AddressProps& props) {
  const RouterOptions& o = r_.opts;
  props.errors_to = addr_->prop.errors_to;
  if (o.errors_to_set) {
    std::string s;
    lang::Status st = o.errors_to ? o.errors_to->eval(*env_.ctx, s) : lang::Status::ok();
    if (st.is_error()) {
      addr_->message =
          o.name + " router failed to expand \"" + o.errors_to_text + "\": " + st.message();
      return RouterResult::Defer;
    }
    if (st.is_ok() && s.empty()) props.errors_to = "";
    if (st.is_ok() && !s.empty() && (verifying() || errors_address_verifies(env_, s)))
      props.errors_to = s;
  }
  if (&props != &addr_->prop) {
    props.headers_add = addr_->prop.headers_add;
    props.headers_remove = addr_->prop.headers_remove;
  }
  for (const ItemProgram& h : o.headers_add) {
    std::string s;
    lang::Status st = h.program->eval(*env_.ctx, s);
    if (st.is_error()) {
      addr_->message =
          o.name + " router failed to expand add_headers item \"" + h.text + "\": " + st.message();
      return RouterResult::Defer;
    }
    if (st.is_ok() && !s.empty()) props.headers_add.push_back(header_line(std::move(s)));
  }
  for (const ItemProgram& h : o.headers_remove) {
    std::string s;
    lang::Status st = h.program->eval(*env_.ctx, s);
    if (st.is_error()) {
      addr_->message = o.name + " router failed to expand remove_headers item \"" + h.text +
                       "\": " + st.message();
      return RouterResult::Defer;
    }
    if (st.is_ok() && !s.empty()) props.headers_remove.push_back(std::move(s));
  }
  return RouterResult::Accept;
}

bool RouteCall::set_transport(Address& a) {
  const RouterOptions& o = r_.opts;
  a.transport.clear();
  a.local_transport = false;
  if (o.transport_text.empty()) return true;
  std::string name = o.transport_text;
  if (o.transport && name.find('$') != std::string::npos) {
    lang::Status st = o.transport->eval(*env_.ctx, name);
    if (!st.is_ok()) {
      a.message = "failed to expand transport \"" + o.transport_text + "\" in " + o.name +
                  " router: " + st.message();
      return false;
    }
  }
  const TransportInfo* t = chain().transport(name);
  if (!t) {
    a.message = "transport \"" + name + "\" not found in " + o.name + " router";
    return false;
  }
  a.transport = t->name;
  a.local_transport = t->local;
  return true;
}

bool RouteCall::set_transport_named(Address& a, std::string_view name, std::string_view option) {
  if (name.empty()) {
    a.transport_error = std::string(option) + " unset in " + r_.opts.name + " router";
    return false;
  }
  const TransportInfo* t = chain().transport(name);
  if (!t) {
    a.transport_error =
        "transport \"" + std::string(name) + "\" not found in " + r_.opts.name + " router";
    return false;
  }
  a.transport = t->name;
  a.local_transport = t->local;
  return true;
}

// The user or group option's expansion as an id (a number, or a name looked up), with the
// user's own group in `user_gid`; false with Exim's message when the name is unknown.
bool RouteCall::resolve_id(const lang::Program& p, bool group, Address& a, unsigned& id,
                           std::optional<gid_t>& user_gid) {
  std::string s;
  if (!p.eval(*env_.ctx, s).is_ok()) s.clear();
  if (all_digits(s)) {
    id = static_cast<unsigned>(std::stoul(s));
    return true;
  }
  // The _r forms: sessions verify on the daemon's worker threads.
  std::vector<char> buf(16384);
  struct group gr {};
  struct group* g = nullptr;
  if (group && getgrnam_r(s.c_str(), &gr, buf.data(), buf.size(), &g) == 0 && g) {
    id = g->gr_gid;
    return true;
  }
  struct passwd pwd {};
  struct passwd* pw = nullptr;
  if (!group && getpwnam_r(s.c_str(), &pwd, buf.data(), buf.size(), &pw) == 0 && pw) {
    id = pw->pw_uid;
    user_gid = pw->pw_gid;
    return true;
  }
  a.message = std::string("failed to find ") + (group ? "group" : "user") + " \"" + s +
              "\" from expanded string \"" + p.text() + "\" for the " + r_.opts.name + " router";
  return false;
}

bool RouteCall::delivery_ids(Address& a, DeliveryIds& out) {
  const RouterOptions& o = r_.opts;
  if (pw_) {
    out.uid = pw_->uid;
    out.gid = pw_->gid;
  }
  out.initgroups = o.initgroups;
  unsigned id = 0;
  std::optional<gid_t> user_gid;
  if (o.user) {
    if (!resolve_id(*o.user, false, a, id, user_gid)) return false;
    out.uid = id;
    if (user_gid && !o.group) out.gid = user_gid;
  }
  if (o.group) {
    if (!resolve_id(*o.group, true, a, id, user_gid)) return false;
    out.gid = id;
  }
  return true;
}

// Exim's rf_queue_add: local transports get uid/gid/home, remote ones the fallback hosts.
bool RouteCall::queue(const AddressPtr& a) {
  vars_.get("domain_data", a->prop.domain_data);
  vars_.get("local_part_data", a->prop.local_part_data);
  if (!a->local_transport) {
    lang::ListReader rd(r_.opts.fallback_hosts);
    std::string h;
    while (rd.next(h)) a->fallback_hosts.push_back(Host{h, "", Host::kNone, Host::kNone});
    lists_.remote.push_front(a);
    return true;
  }
  bool router_home = a->ids.home_expanded;
  DeliveryIds ids;
  if (pw_) {
    ids.home_dir = pw_->dir;
    ids.home_expanded = true;
  }
  if (!delivery_ids(*a, ids)) return false;
  if (r_.opts.transport_home_directory) {
    ids.home_dir = r_.opts.transport_home_directory->text();
    ids.home_expanded = false;
  } else if (ids.home_dir.empty() && router_home) {
    vars_.get("home", ids.home_dir);
    ids.home_expanded = true;
  }
  if (r_.opts.transport_current_directory)
    ids.current_dir = r_.opts.transport_current_directory->text();
  a->ids = std::move(ids);
  lists_.local.push_front(a);
  return true;
}

RouterResult RouteCall::accept_address() {
  RouterResult rc = errors_and_headers(addr_->prop);
  if (rc != RouterResult::Accept) return rc;
  if (!set_transport(*addr_)) return RouterResult::Defer;
  return queue(addr_) ? RouterResult::Accept : RouterResult::Defer;
}

// Exim's rf_self_action (spec 15, "self").
RouterResult RouteCall::self_action(const Host& h) {
  const SelfAction& s = r_.opts.self;
  Address& a = *addr_;
  std::string msg = h.mx >= 0 ? "lowest numbered MX record points to local host"
                              : "remote host address is the local host";
  switch (s.kind) {
    case SelfAction::Freeze:
    case SelfAction::Defer:
      a.message = msg;
      return RouterResult::Defer;
    case SelfAction::Send:
      a.self_hostname = h.name;
      return RouterResult::Accept;
    case SelfAction::Pass:
      a.message = msg;
      a.self_hostname = h.name;
      return RouterResult::Pass;
    case SelfAction::Fail:
      a.message = msg;
      a.pass_message = true;
      return RouterResult::Fail;
    case SelfAction::Reroute:
      return change_domain(s.domain, s.rewrite);
  }
  return RouterResult::Defer;
}

RouterResult RouteCall::change_domain(const std::string& domain, bool rewrite) {
  Address& a = *addr_;
  std::string local = a.address.substr(0, a.address.rfind('@'));
  AddressPtr child = make_child(local + "@" + domain, addr_);
  child->prop = a.prop;
  a.child_count = 1;
  if (rewrite) lists_.header_domain_rewrites.emplace_back(a.domain, child->domain);
  add_new(std::move(child));
  return RouterResult::Rerouted;
}

}  // namespace engine

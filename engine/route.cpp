// engine/route.cpp — one address through the router chain (see route.h): loop protection,
// affixes, preconditions in Exim's order, set/address_data, the driver, and what its answer
// means for the next step.
#include "engine/route.h"

#include <pwd.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "engine/smtp/address.h"
#include "engine/variables.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/match/addresslist.h"
#include "lang/match/domainlist.h"
#include "lang/match/localpartlist.h"
#include "util/ip.h"
#include "util/strings.h"

namespace engine {
namespace {

using routers::RouterResult;

enum class Pre : unsigned char { Ok, Skip, Defer };

// Exim's route_check_prefix: the length of the matching prefix (-1: none) and in `vlen` the
// length of its wildcard part. "*x" matches up to the last "x" (caseless).
int check_prefix(std::string_view lp, std::string_view list, size_t& vlen) {
  lang::ListReader rd(list);
  std::string p;
  while (rd.next(p)) {
    if (!p.empty() && p[0] == '*') {
      std::string_view lit = std::string_view(p).substr(1);
      if (lit.size() > lp.size()) continue;
      for (size_t at = lp.size() - lit.size() + 1; at-- > 0;) {
        if (util::iequals(lp.substr(at, lit.size()), lit)) {
          vlen = at;
          return static_cast<int>(at + lit.size());
        }
      }
    } else if (lp.size() >= p.size() && util::iequals(lp.substr(0, p.size()), p)) {
      vlen = 0;
      return static_cast<int>(p.size());
    }
  }
  return -1;
}

// Exim's route_check_suffix: "x*" matches from the first "x" on; a plain suffix must leave
// something before it.
int check_suffix(std::string_view lp, std::string_view list, size_t& vlen) {
  lang::ListReader rd(list);
  std::string s;
  while (rd.next(s)) {
    if (!s.empty() && s.back() == '*') {
      std::string_view lit = std::string_view(s).substr(0, s.size() - 1);
      if (lit.size() > lp.size()) continue;
      for (size_t at = 0; at + lit.size() <= lp.size(); ++at) {
        if (util::iequals(lp.substr(at, lit.size()), lit)) {
          size_t total = lp.size() - at;
          vlen = total - lit.size();
          return static_cast<int>(total);
        }
      }
    } else if (lp.size() > s.size() && util::iequals(lp.substr(lp.size() - s.size()), s)) {
      vlen = 0;
      return static_cast<int>(s.size());
    }
  }
  return -1;
}

// The local part the router sees: case per caseful_local_part, affixes removed. False when
// a mandatory affix is missing.
bool set_local_part(Address& a, const RouterOptions& o) {
  a.prefix = a.prefix_v = a.suffix = a.suffix_v = "";
  a.local_part = o.caseful_local_part ? a.cc_local_part : a.lc_local_part;
  size_t vlen = 0;
  if (!o.local_part_prefix.empty()) {
    int n = check_prefix(a.local_part, o.local_part_prefix, vlen);
    if (n > 0) {
      a.prefix = a.local_part.substr(0, static_cast<size_t>(n));
      a.prefix_v = a.local_part.substr(0, vlen);
      a.local_part.erase(0, static_cast<size_t>(n));
    } else if (!o.prefix_optional) {
      return false;
    }
  }
  if (!o.local_part_suffix.empty()) {
    int n = check_suffix(a.local_part, o.local_part_suffix, vlen);
    if (n > 0) {
      size_t keep = a.local_part.size() - static_cast<size_t>(n);
      a.suffix = a.local_part.substr(keep);
      a.suffix_v = a.suffix.substr(a.suffix.size() - vlen);
      a.local_part.resize(keep);
    } else if (!o.suffix_optional) {
      return false;
    }
  }
  return true;
}

// Loop protection (spec 3.12 and 22.5): a router is skipped for an address with an ancestor
// of the same address that it handled (any ancestor it handled, with no_repeat_use).
// Returns 1 to skip, 0 to go on, -1 when the ancestry is absurdly deep.
int loop_check(const Address& a, const RouterEntry& e, int r) {
  int count = 0;
  for (const Address* p = a.parent.get(); p; p = p->parent.get()) {
    if (++count > 100) return -1;
    if (p->router != r) continue;
    if (!e.opts.repeat_use) return 1;
    if (!util::iequals(p->address, a.address)) continue;
    if (!e.opts.caseful_local_part) return 1;
    size_t at = a.address.rfind('@');
    if (p->address.compare(0, at, a.address, 0, at) == 0) return 1;
  }
  return 0;
}

class Preconditions {
 public:
  Preconditions(RouteEnv& env, const RouterEntry& e, Address& a, RouteVariables& vars)
      : env_(env), o_(e.opts), a_(a), vars_(vars) {}
  Pre run(std::optional<LocalUser>& pw, std::string& error);

 private:
  bool mode_skips() const;
  Pre list_check(const lang::Program* p, std::string_view what, std::string& error,
                 lang::ListMatchResult& res, int kind);
  Pre local_user(std::optional<LocalUser>& pw);
  Pre home_directory(std::string& error);
  Pre require_files(std::string& error);
  Pre condition(std::string& error);
  void debug_print();

  RouteEnv& env_;
  const RouterOptions& o_;
  Address& a_;
  RouteVariables& vars_;
};

bool Preconditions::mode_skips() const {
  RouteMode m = env_.mode;
  if ((m == RouteMode::Deliver || m == RouteMode::Test || m == RouteMode::Expn) && o_.verify_only)
    return true;
  if ((m == RouteMode::Test || m == RouteMode::Expn) && !o_.address_test) return true;
  if (m == RouteMode::VerifySender && !o_.verify_sender) return true;
  if (m == RouteMode::VerifyRecipient && !o_.verify_recipient) return true;
  return m == RouteMode::Expn && !o_.expn;
}

// domains (kind 0), local_parts (1), senders (2): Exim's route_check_dls.
Pre Preconditions::list_check(const lang::Program* p, std::string_view what, std::string& error,
                              lang::ListMatchResult& res, int kind) {
  if (!p) return Pre::Ok;
  std::string list;
  lang::Status st = p->eval(*env_.ctx, list);
  if (st.is_fail()) return Pre::Skip;
  if (st.is_error()) {
    error = std::string(what) + " check lookup or other defer";
    return Pre::Defer;
  }
  if (kind == 0) {
    res = lang::match_domainlist(*env_.ctx, list, a_.domain);
  } else if (kind == 1) {
    std::string lp = a_.cc_local_part.substr(a_.prefix.size());
    lp.resize(lp.size() - a_.suffix.size());
    res = lang::match_localpartlist(*env_.ctx, list, lp, !o_.caseful_local_part);
  } else {
    res = lang::match_addresslist(*env_.ctx, list, env_.sender);
  }
  if (res.outcome == lang::ListMatch::Defer) {
    error = std::string(what) + " check lookup or other defer";
    return Pre::Defer;
  }
  return res.outcome == lang::ListMatch::Match ? Pre::Ok : Pre::Skip;
}

Pre Preconditions::local_user(std::optional<LocalUser>& pw) {
  if (!o_.check_local_user) return Pre::Ok;
  pw = find_local_user(a_.local_part);
  if (!pw) return Pre::Skip;
  vars_.set("local_part_data", pw->name);
  a_.prop.local_part_data = pw->name;
  vars_.set("home", pw->dir);
  vars_.set("local_user_uid", std::to_string(pw->uid));
  vars_.set("local_user_gid", std::to_string(pw->gid));
  return Pre::Ok;
}

Pre Preconditions::home_directory(std::string& error) {
  if (!o_.router_home_directory) return Pre::Ok;
  std::string home;
  lang::Status st = o_.router_home_directory->eval(*env_.ctx, home);
  if (st.is_ok()) {
    vars_.set("home", home);
    a_.ids.home_expanded = true;
  } else if (st.is_error()) {
    error = "failed to expand \"" + o_.router_home_directory->text() +
            "\" for router_home_directory: " + st.message();
    return Pre::Defer;
  }
  return Pre::Ok;
}

// require_files (spec 15): each item expanded; "!" must not exist; "+" takes EACCES as "does
// not exist". Items without '/' (user[,group] to check access as) are accepted and ignored:
// the existence test is done as the current user.
Pre Preconditions::require_files(std::string& error) {
  for (const ItemProgram& item : o_.require_files) {
    std::string path;
    lang::Status st = item.program->eval(*env_.ctx, path);
    if (st.is_fail() || (st.is_ok() && path.empty())) continue;
    if (st.is_error()) {
      error = "failed to expand \"" + item.text + "\" for require_files: " + st.message();
      return Pre::Defer;
    }
    std::string_view p = path;
    bool eacces_absent = !p.empty() && p[0] == '+';
    if (eacces_absent) p.remove_prefix(1);
    bool must_not = !p.empty() && p[0] == '!';
    if (must_not) p.remove_prefix(1);
    if (p.find('/') == std::string_view::npos) continue;  // a user to check as
    if (p[0] != '/') {
      error = "require_files: \"" + std::string(p) + "\" is not absolute";
      return Pre::Defer;
    }
    struct stat sb {};
    bool exists = ::stat(std::string(p).c_str(), &sb) == 0;
    if (!exists && errno != ENOENT && errno != ENOTDIR && !(errno == EACCES && eacces_absent)) {
      error = "require_files: error for " + std::string(p) + ": " + util::errno_text(errno);
      return Pre::Defer;
    }
    if (exists == must_not) return Pre::Skip;
  }
  return Pre::Ok;
}

// condition (spec 15): forced failure, "", "0", "no" and "false" skip the router.
Pre Preconditions::condition(std::string& error) {
  if (!o_.condition) return Pre::Ok;
  std::string v;
  lang::Status st = o_.condition->eval(*env_.ctx, v);
  if (st.is_error()) {
    error = "failed to expand condition \"" + o_.condition->text() + "\" for " + o_.name +
            " router: " + st.message();
    return Pre::Defer;
  }
  if (st.is_fail()) return Pre::Skip;
  return lang::is_false_string(v) ? Pre::Skip : Pre::Ok;
}

void Preconditions::debug_print() {
  if (!o_.debug_print || !env_.debug) return;
  std::string s;
  lang::Status st = o_.debug_print->eval(*env_.ctx, s);
  if (!st.is_ok()) s = "failed to expand debug_print: " + st.message();
  if (s.empty() || s.back() != '\n') s += '\n';
  std::fputs(s.c_str(), env_.debug);
}

Pre Preconditions::run(std::optional<LocalUser>& pw, std::string& error) {
  if (mode_skips()) return Pre::Skip;
  lang::ListMatchResult res;
  Pre p = list_check(o_.domains, "domains", error, res, 0);
  if (p != Pre::Ok) return p;
  if (o_.domains) vars_.set("domain_data", res.value);
  p = list_check(o_.local_parts, "local_parts", error, res, 1);
  if (p != Pre::Ok) return p;
  if (o_.local_parts) vars_.set("local_part_data", res.value);
  if ((p = local_user(pw)) != Pre::Ok) return p;
  if ((p = home_directory(error)) != Pre::Ok) return p;
  p = list_check(o_.senders, "senders", error, res, 2);
  if (p != Pre::Ok) return p;
  if (o_.senders) vars_.set("sender_data", res.value);
  debug_print();
  if ((p = require_files(error)) != Pre::Ok) return p;
  return condition(error);
}

// Exim's exp_bool: a literal, or an expansion that must give a boolean.
RouterResult expanded_bool(const ExpandedBool& b, std::string_view option, const RouterEntry& e,
                           RouteEnv& env, Address& a, bool& out) {
  out = b.value;
  if (!b.program) return RouterResult::Accept;
  std::string v;
  lang::Status st = b.program->eval(*env.ctx, v);
  if (st.is_fail()) return RouterResult::Accept;
  std::string t = util::to_lower(util::trim(v));
  if (st.is_ok() && (t == "yes" || t == "true" || t == "no" || t == "false")) {
    out = t == "yes" || t == "true";
    return RouterResult::Accept;
  }
  a.message = st.is_error()
                  ? "failed to expand \"" + b.program->text() + "\" in " + e.opts.name +
                        " router: " + st.message()
                  : "\"" + v + "\" is not a valid value for the \"" + std::string(option) +
                        "\" option in the " + e.opts.name + " router";
  return RouterResult::Defer;
}

// `set`, then address_data (spec 15). Decline for a forced failure of address_data.
RouterResult router_data(const RouterEntry& e, RouteEnv& env, Address& a, RouteVariables& vars) {
  for (const SetItem& s : e.opts.set) {
    std::string v;
    lang::Status st = s.value->eval(*env.ctx, v);
    if (st.is_fail()) continue;
    if (st.is_error()) {
      a.message = "expansion of \"" + s.value->text() + "\" failed in " + e.opts.name +
                  " router: " + st.message();
      return RouterResult::Defer;
    }
    a.prop.vars[s.name] = v;
    vars.set(s.name, v);
  }
  if (!e.opts.address_data) return RouterResult::Accept;
  std::string v;
  lang::Status st = e.opts.address_data->eval(*env.ctx, v);
  if (st.is_fail()) return RouterResult::Decline;
  if (st.is_error()) {
    a.message = "expansion of \"" + e.opts.address_data->text() + "\" failed in " + e.opts.name +
                " router: " + st.message();
    return RouterResult::Defer;
  }
  a.prop.address_data = v;
  a.prop.address_data_set = true;
  vars.set("address_data", v);
  return RouterResult::Accept;
}

// translate_ip_address (spec 15): each host address is expanded with $host_address set; an
// IP address replaces it, a name is looked up; forced failure leaves it alone.
RouterResult translate_addresses(const RouterEntry& e, RouteEnv& env, Address& a,
                                 RouteVariables& vars) {
  const lang::Program* p = e.opts.translate_ip_address;
  if (!p) return RouterResult::Accept;
  std::vector<Host> out;
  for (const Host& h : a.hosts) {
    std::string v;
    vars.set("host_address", h.address);
    lang::Status st = h.address.empty() ? lang::Status::fail("") : p->eval(*env.ctx, v);
    vars.reset("host_address");
    if (st.is_error()) {
      a.message =
          "failed to expand \"" + p->text() + "\" in " + e.opts.name + " router: " + st.message();
      return RouterResult::Defer;
    }
    if (!st.is_ok() || v.empty() || util::IpAddress::parse(v)) {
      out.push_back(h);
      if (st.is_ok() && !v.empty()) out.back().address = v;
      continue;
    }
    std::vector<std::string> addrs;
    std::string err;
    HostResolver& r = env.resolver ? *env.resolver : host_resolver();
    if (r.byname(*env.ctx, v, addrs, err) != HostStatus::Found) {
      a.message = "translate_ip_address: lookup of " + v + " failed: " + err;
      return RouterResult::Defer;
    }
    for (const std::string& ip : addrs) out.push_back(Host{h.name, ip, h.port, h.mx});
  }
  a.hosts = std::move(out);
  return RouterResult::Accept;
}

void remove_head(std::deque<AddressPtr>& list, const AddressPtr& a) {
  if (!list.empty() && list.front() == a) list.pop_front();
}

// `unseen` (spec 15): the routed address and a clone become children of a new parent; the
// clone goes on from the next router.
void route_unseen(const AddressPtr& addr, RouteLists& lists) {
  auto parent = std::make_shared<Address>();
  parent->address = addr->address;
  parent->domain = addr->domain;
  parent->cc_local_part = addr->cc_local_part;
  parent->lc_local_part = addr->lc_local_part;
  parent->local_part = addr->local_part;
  parent->prefix = addr->prefix;
  parent->suffix = addr->suffix;
  parent->parent = addr->parent;
  parent->router = addr->router;
  parent->router_name = addr->router_name;
  parent->child_count = 2;
  parent->prop.errors_to = addr->parent ? addr->parent->prop.errors_to : std::nullopt;
  addr->parent = parent;
  AddressPtr clone = make_child(addr->address, parent);
  clone->prop.errors_to = parent->prop.errors_to;
  clone->prop.ignore_error = addr->prop.ignore_error;
  clone->prop.address_data = addr->prop.address_data;
  clone->prop.address_data_set = addr->prop.address_data_set;
  clone->prop.vars = addr->prop.vars;
  clone->start_router = addr->router + 1;
  lists.pending.push_front(std::move(clone));
}

// same_domain_copy_routing (spec 17, 20): addresses of the same domain still to be routed
// take the routing of `addr` (sent to a remote transport, no header changes) unrouted.
void copy_routing(const AddressPtr& addr, RouteLists& lists) {
  const Address& a = *addr;
  if (a.transport.empty() || a.local_transport || !a.prop.headers_add.empty() ||
      !a.prop.headers_remove.empty())
    return;
  for (auto it = lists.pending.begin(); it != lists.pending.end();) {
    Address& b = **it;
    if (b.kind != AddressKind::Mail || b.domain != a.domain || b.start_router != a.start_router) {
      ++it;
      continue;
    }
    b.transport = a.transport;
    b.hosts = a.hosts;
    b.fallback_hosts = a.fallback_hosts;
    b.router = a.router;
    b.router_name = a.router_name;
    b.prop.errors_to = a.prop.errors_to;
    b.prop.domain_data = a.prop.domain_data;
    lists.remote.push_front(*it);
    it = lists.pending.erase(it);
  }
}

RouterResult no_more_routers(const AddressPtr& addr, RouteEnv& env) {
  if (addr->message.empty()) {
    std::string msg = "Unrouteable address";
    if (addr->router >= 0) {
      const RouterEntry& last = env.chain->at(static_cast<size_t>(addr->router));
      std::string v;
      if (last.opts.cannot_route_message &&
          last.opts.cannot_route_message->eval(*env.ctx, v).is_ok())
        msg = v;
    }
    addr->message = addr->user_message = msg;
  }
  addr->router = -1;
  addr->router_name.clear();
  return RouterResult::Fail;
}

class AddressRouter {
 public:
  AddressRouter(const AddressPtr& addr, RouteEnv& env, RouteLists& lists)
      : addr_(addr), env_(env), lists_(lists), vars_(env.ctx->vars), scope_(*env.ctx, vars_) {
    vars_.set_sender(env.sender);
  }
  RouterResult run();

 private:
  enum class Step : unsigned char { Next, Stop, Done };
  Step try_router(int r, int& next, RouterResult& yield);
  void reset_router_vars(const RouterEntry& e);

  const AddressPtr& addr_;
  RouteEnv& env_;
  RouteLists& lists_;
  RouteVariables vars_;
  RouteVariables::Scope scope_;
};

void AddressRouter::reset_router_vars(const RouterEntry& e) {
  vars_.set_address(*addr_);
  vars_.set("router_name", e.opts.name);
  for (const char* n : {"home", "local_user_uid", "local_user_gid", "sender_data"}) vars_.hide(n);
  vars_.set("domain_data", "");
  vars_.set("local_part_data", "");
  addr_->ids.home_expanded = false;
}

// One router: Next (declined or skipped: go on with `next`), Stop (no more routers) or
// Done (`yield` is the answer).
AddressRouter::Step AddressRouter::try_router(int r, int& next, RouterResult& yield) {
  const RouterEntry& e = env_.chain->at(static_cast<size_t>(r));
  Address& a = *addr_;
  a.router = r;
  a.router_name = e.opts.name;
  int loop = loop_check(a, e, r);
  if (loop < 0) {
    a.message = "routing loop for " + a.address;
    yield = RouterResult::Defer;
    return Step::Done;
  }
  if (loop > 0 || !set_local_part(a, e.opts)) return Step::Next;
  reset_router_vars(e);
  std::optional<LocalUser> pw;
  std::string error;
  Pre pre = Preconditions(env_, e, a, vars_).run(pw, error);
  if (pre == Pre::Skip) return Step::Next;
  if (pre == Pre::Defer) {
    a.message = error;
    yield = RouterResult::Defer;
    return Step::Done;
  }
  yield = router_data(e, env_, a, vars_);
  if (yield == RouterResult::Accept) {
    RouteCall call(env_, e, addr_, lists_, vars_, pw);
    yield = e.driver->route(call);
  }
  if (yield == RouterResult::Fail || yield == RouterResult::Defer) return Step::Done;
  bool verifying_fail = (env_.mode == RouteMode::VerifySender && e.opts.fail_verify_sender) ||
                        (env_.mode == RouteMode::VerifyRecipient && e.opts.fail_verify_recipient);
  if (verifying_fail && (yield == RouterResult::Accept || yield == RouterResult::Pass)) {
    a.message = e.opts.name + " router forced verify failure";
    remove_head(lists_.remote, addr_);
    remove_head(lists_.local, addr_);
    yield = RouterResult::Fail;
    return Step::Done;
  }
  if (yield == RouterResult::Pass) {
    if (e.pass_router >= 0) next = e.pass_router;
    return Step::Next;
  }
  if (yield != RouterResult::Decline) return Step::Done;
  bool more = true;
  yield = expanded_bool(e.opts.more, "more", e, env_, a, more);
  if (yield != RouterResult::Accept) return Step::Done;
  return more ? Step::Next : Step::Stop;
}

RouterResult AddressRouter::run() {
  RouterResult yield = RouterResult::Decline;
  int r = addr_->start_router;
  int n = static_cast<int>(env_.chain->size());
  while (r < n) {
    int next = r + 1;
    Step s = try_router(r, next, yield);
    if (s == Step::Stop) break;
    if (s == Step::Done) {
      if (yield != RouterResult::Accept) return yield;
      const RouterEntry& e = env_.chain->at(static_cast<size_t>(r));
      yield = translate_addresses(e, env_, *addr_, vars_);
      if (yield != RouterResult::Accept) return yield;
      bool unseen = false;
      yield = expanded_bool(e.opts.unseen, "unseen", e, env_, *addr_, unseen);
      if (yield != RouterResult::Accept) return yield;
      addr_->message.clear();
      if (unseen && r + 1 < n) {
        route_unseen(addr_, lists_);
        addr_->unique += "/" + e.opts.name;
      } else if (e.driver->copies_routing()) {
        copy_routing(addr_, lists_);
      }
      return RouterResult::Accept;
    }
    r = next;
  }
  return no_more_routers(addr_, env_);
}

// The percent hack (spec 14, percent_hack_domains), as Exim applies it to every address
// before routing: while the domain is a hack domain, "u%d@domain" becomes "u@d". The
// address becomes the parent of the result, which is routed instead (Rerouted); a lookup
// defer in the list defers the address. False when nothing was done.
bool percent_hacked(const AddressPtr& addr, RouteEnv& env, RouteLists& lists, RouterResult& rc) {
  Address& a = *addr;
  if (a.kind != AddressKind::Mail || a.cc_local_part.find('%') == std::string::npos) return false;
  std::string list = main_option(&env.chain->config(), "percent_hack_domains");
  if (list.empty()) return false;
  bool deferred = !lang::expand_string(list, *env.ctx, list).is_ok();
  auto in_list = [&](const std::string& domain) {
    lang::ListMatchResult m = lang::match_domainlist(*env.ctx, list, domain);
    deferred |= m.outcome == lang::ListMatch::Defer;
    return m.outcome == lang::ListMatch::Match;
  };
  std::string local = a.cc_local_part, domain = a.domain;
  bool changed = !deferred && smtp::percent_hack(local, domain, in_list);
  if (deferred) {
    a.message = "cannot check percent_hack_domains";
    rc = RouterResult::Defer;
    return true;
  }
  if (!changed) return false;
  AddressPtr child = make_child(local + "@" + domain, addr);
  child->prop = a.prop;
  a.child_count = 1;
  lists.pending.push_front(std::move(child));
  rc = RouterResult::Rerouted;
  return true;
}

}  // namespace

std::optional<LocalUser> find_local_user(std::string_view name) {
  if (name.empty()) return std::nullopt;
  std::string n(name);
  std::vector<char> buf(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (getpwnam_r(n.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return LocalUser{pw.pw_name, pw.pw_dir ? pw.pw_dir : "", pw.pw_shell ? pw.pw_shell : "",
                   pw.pw_uid, pw.pw_gid};
}

RouterResult route_address(const AddressPtr& addr, RouteEnv& env, RouteLists& lists) {
  RouterResult rc = RouterResult::Accept;
  if (percent_hacked(addr, env, lists, rc)) return rc;
  return AddressRouter(addr, env, lists).run();
}

}  // namespace engine

// transports/generic.cpp — generic transport options and the common preparation of a run.
#include "transports/generic.h"

#include <unistd.h>

#include <cmath>
#include <cstdlib>

#include "engine/config/main_options.h"
#include "engine/config/values.h"
#include "lang/lists.h"
#include "util/fs_identity.h"
#include "util/strings.h"
#include "util/users.h"

namespace transports {
namespace {

using engine::config::Instance;
using engine::config::Setting;

const Setting* find_setting(const Instance& inst, std::string_view name) {
  for (const Setting& s : inst.options)
    if (s.name == name) return &s;
  return nullptr;
}

// Splits a list option and compiles each item (headers_add, headers_remove).
util::Result<std::vector<ProgramPtr>> compile_items(const Instance& inst, std::string_view name,
                                                    char sep) {
  std::vector<ProgramPtr> out;
  const Setting* s = find_setting(inst, name);
  if (!s) return out;
  lang::ListReader r(s->value, sep);
  std::string item;
  while (r.next(item)) {
    auto p = std::make_shared<lang::Program>();
    lang::Status st = lang::Program::compile(item, *p);
    if (!st.is_ok()) {
      return util::Error{"transport " + inst.name + ": failed to expand \"" + std::string(name) +
                             "\" item \"" + item + "\": " + st.message(),
                         s->loc};
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<uid_t> exim_uid(const engine::config::Config* cfg) {
  if (!cfg) return std::nullopt;
  auto u = util::find_user(engine::config::main_string(*cfg, "exim_user"));
  return u ? std::optional<uid_t>(u->uid) : std::nullopt;
}

std::optional<gid_t> exim_gid(const engine::config::Config* cfg) {
  if (!cfg) return std::nullopt;
  return util::find_group(engine::config::main_string(*cfg, "exim_group"));
}

bool on_never_users(const engine::config::Config* cfg, uid_t uid) {
  if (!cfg) return false;
  lang::ListReader r(engine::config::main_string(*cfg, "never_users"));
  std::string item;
  while (r.next(item))
    if (auto u = util::find_user(item); u && u->uid == uid) return true;
  return false;
}

// Spec 23.2: the uid and gid of the delivery, in Exim's order of preference.
bool resolve_identity(const GenericOptions& g, Expander& ex, const Delivery& d,
                      const TransportServices& s, const PrepareOptions& po, DeliveryIdentity& id,
                      AddressResult& fail) {
  const DeliveryAddress& a = d.addresses.front();
  const std::string& tname = ex.transport_name();
  std::string text, err;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid, user_gid;
  std::string user_name;
  if (g.user) {
    if (ex.option(g.user.get(), "user", text, err) != ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    auto u = util::find_user(text);
    if (!u) {
      fail = defer_result("Failed to find user \"" + text + "\" from expanded string \"" +
                          g.user->text() + "\" for the " + tname + " transport");
      return false;
    }
    uid = u->uid;
    bool named = text.find_first_not_of("0123456789") != std::string::npos;
    if (u->has_entry && named) user_gid = u->gid;
    user_name = u->name;
  }
  if (g.group) {
    if (ex.option(g.group.get(), "group", text, err) != ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    gid = util::find_group(text);
    if (!gid) {
      fail = defer_result("Failed to find group \"" + text + "\" from expanded string \"" +
                          g.group->text() + "\" for the " + tname + " transport");
      return false;
    }
  }
  const engine::SpoolMessage* msg = d.message ? &d.message->envelope() : nullptr;
  bool exim_default = false;
  if (!uid && po.as_creator && msg) uid = static_cast<uid_t>(msg->uid);
  if (!uid) uid = a.uid;
  if (!uid) {
    uid = exim_uid(s.config);
    exim_default = true;
  }
  if (!gid) gid = a.gid;
  if (!gid) gid = user_gid;
  if (!gid && po.as_creator && msg) gid = static_cast<gid_t>(msg->gid);
  if (!gid && exim_default) gid = exim_gid(s.config);
  if (geteuid() != 0) {
    id.uid = geteuid();
    id.gid = getegid();
    return true;
  }
  if (!uid || !gid) {
    fail = defer_result("User set without group for " + tname + " transport");
    return false;
  }
  if (on_never_users(s.config, *uid)) {
    fail = defer_result("User " + std::to_string(*uid) + " set for " + tname +
                        " transport is on the never_users list");
    return false;
  }
  id.uid = *uid;
  id.gid = *gid;
  id.change = true;
  bool want_groups = g.user ? g.initgroups : a.initgroups;
  if (want_groups) {
    if (user_name.empty())
      if (auto u = util::find_user_by_uid(*uid)) user_name = u->name;
    if (!user_name.empty()) id.groups = util::user_groups(user_name.c_str(), *gid);
  }
  return true;
}

// Expands each item of a header list; empty results and forced failures add nothing.
bool expand_items(Expander& ex, const std::vector<ProgramPtr>& items, std::string_view opt,
                  std::vector<std::string>& out, AddressResult& fail) {
  for (const ProgramPtr& p : items) {
    std::string v, err;
    ExpandOutcome r = ex.expand(*p, v, err);
    if (r == ExpandOutcome::Forced) continue;
    if (r == ExpandOutcome::Error) {
      fail = defer_result("failed to expand " + std::string(opt) + " item \"" + p->text() +
                          "\" in " + ex.transport_name() + " transport: " + err);
      return false;
    }
    if (!v.empty()) out.push_back(std::move(v));
  }
  return true;
}

bool header_edits(const GenericOptions& g, Expander& ex, const Delivery& d, Prepared& out,
                  AddressResult& fail) {
  HeaderEdits& e = out.edits;
  for (const DeliveryAddress& a : d.addresses) {
    e.add.insert(e.add.end(), a.headers_add.begin(), a.headers_add.end());
    e.remove.insert(e.remove.end(), a.headers_remove.begin(), a.headers_remove.end());
    if (g.envelope_to_add) {
      const std::string& orig = a.original.empty() ? a.address : a.original;
      if (std::find(e.envelope_to.begin(), e.envelope_to.end(), orig) == e.envelope_to.end())
        e.envelope_to.push_back(orig);
    }
  }
  std::vector<std::string> removes;
  if (!expand_items(ex, g.headers_remove, "headers_remove", removes, fail)) return false;
  for (std::string& r : removes) {
    lang::ListReader lr(r);  // an item may expand to a list of names
    std::string name;
    while (lr.next(name)) e.remove.push_back(name);
  }
  if (!expand_items(ex, g.headers_add, "headers_add", e.add, fail)) return false;
  e.add_return_path = g.return_path_add;
  e.add_envelope_to = g.envelope_to_add;
  e.add_delivery_date = g.delivery_date_add;
  e.return_path = out.return_path;
  if (g.delivery_date_add) ex.vars().get("tod_full", e.delivery_date);
  if (!g.headers_rewrite.empty()) {
    std::string qualify;
    ex.vars().get("qualify_recipient", qualify);
    e.rewrite = [&rules = g.headers_rewrite, &ex, qualify](const std::string& line) {
      return engine::rewrite_header(rules, line, ex.context(), qualify);
    };
  }
  return true;
}

bool check_size(const GenericOptions& g, Expander& ex, const Delivery& d, AddressResult& fail) {
  if (!g.message_size_limit || !d.message) return true;
  std::string v, err;
  if (ex.option(g.message_size_limit.get(), "message_size_limit", v, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  int64_t limit = 0;
  if (!parse_size(v, limit)) {
    fail = defer_result("invalid message_size_limit setting for " + ex.transport_name() +
                        " transport: \"" + v + "\"");
    return false;
  }
  int64_t size = d.message->envelope().header_size() + d.message->body_size();
  if (limit > 0 && size > limit) {
    fail = fail_result("message is too big (transport limit = " + std::to_string(limit) + ")");
    return false;
  }
  return true;
}

bool directories(const GenericOptions& g, Expander& ex, const DeliveryAddress& a, Prepared& out,
                 AddressResult& fail) {
  std::string err;
  out.home = a.home;
  if (g.home_directory &&
      ex.option(g.home_directory.get(), "home_directory", out.home, err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  if (!out.home.empty()) ex.vars().set("home", out.home);
  out.cwd = a.current_dir;
  if (g.current_directory && ex.option(g.current_directory.get(), "current_directory", out.cwd,
                                       err) != ExpandOutcome::Ok) {
    fail = defer_result(err);
    return false;
  }
  if (out.cwd.empty()) out.cwd = out.home.empty() ? "/" : out.home;
  return true;
}

bool return_path(const GenericOptions& g, Expander& ex, const Delivery& d, Prepared& out,
                 AddressResult& fail) {
  const DeliveryAddress& a = d.addresses.front();
  out.return_path = !a.errors_to.empty() ? a.errors_to
                    : d.message          ? d.message->envelope().sender
                                         : std::string();
  ex.vars().set("return_path", out.return_path);
  if (!g.return_path) return true;
  std::string v, err;
  ExpandOutcome r = ex.expand(*g.return_path, v, err);
  if (r == ExpandOutcome::Error) {
    fail = defer_result("Failed to expand return path \"" + g.return_path->text() + "\" in " +
                        ex.transport_name() + " transport: " + err);
    return false;
  }
  if (r == ExpandOutcome::Ok) {
    out.return_path = v;
    ex.vars().set("return_path", v);
  }
  return true;
}

}  // namespace

ProgramPtr option_program(const Instance& inst, std::string_view name) {
  const Setting* s = find_setting(inst, name);
  return s ? s->program : nullptr;
}

util::Result<GenericOptions> GenericOptions::read(const engine::config::Config& cfg,
                                                  const Instance& inst) {
  (void)cfg;
  engine::config::InstanceOptions o(engine::config::DriverKind::Transport, inst);
  GenericOptions g;
  g.body_only = o.get_bool("body_only");
  g.headers_only = o.get_bool("headers_only");
  g.delivery_date_add = o.get_bool("delivery_date_add");
  g.envelope_to_add = o.get_bool("envelope_to_add");
  g.return_path_add = o.get_bool("return_path_add");
  g.initgroups = o.get_bool("initgroups");
  g.rcpt_include_affixes = o.get_bool("rcpt_include_affixes");
  g.disable_logging = o.get_bool("disable_logging");
  if (g.body_only && g.headers_only)
    return util::Error{"transport " + inst.name +
                           ": body_only and headers_only are mutually "
                           "exclusive",
                       inst.loc};
  for (auto [name, slot] : {std::pair{"current_directory", &g.current_directory},
                            {"home_directory", &g.home_directory},
                            {"debug_print", &g.debug_print},
                            {"group", &g.group},
                            {"user", &g.user},
                            {"return_path", &g.return_path},
                            {"message_size_limit", &g.message_size_limit},
                            {"shadow_condition", &g.shadow_condition}})
    *slot = option_program(inst, name);
  auto add = compile_items(inst, "headers_add", '\n');
  if (!add) return add.error();
  g.headers_add = std::move(*add);
  auto rem = compile_items(inst, "headers_remove", ':');
  if (!rem) return rem.error();
  g.headers_remove = std::move(*rem);
  auto rules = engine::rewrite_parse_list(o.get_string("headers_rewrite"), true);
  if (!rules) {
    const Setting* s = find_setting(inst, "headers_rewrite");
    return util::Error{"transport " + inst.name + ": headers_rewrite: " + rules.error().message,
                       s ? s->loc : inst.loc};
  }
  g.headers_rewrite = std::move(*rules);
  g.shadow_transport = o.get_string("shadow_transport");
  g.transport_filter = o.get_string("transport_filter");
  if (o.is_set("retry_use_local_part")) g.retry_use_local_part = o.get_bool("retry_use_local_part");
  return g;
}

bool prepare(const GenericOptions& g, Expander& ex, Delivery& d, const TransportServices& s,
             const PrepareOptions& po, Prepared& out, AddressResult& fail) {
  if (g.debug_print && s.debug) {
    std::string v, err;
    if (ex.expand(*g.debug_print, v, err) == ExpandOutcome::Ok)
      s.debug(v);
    else
      s.debug("failed to expand debug_print: " + err);
  }
  if (d.addresses.empty()) return true;
  if (!g.transport_filter.empty()) {
    fail =
        defer_result("transport_filter is not supported (" + ex.transport_name() + " transport)");
    return false;
  }
  if (!check_size(g, ex, d, fail)) return false;
  if (!directories(g, ex, d.addresses.front(), out, fail)) return false;
  if (!return_path(g, ex, d, out, fail)) return false;
  d.return_path = out.return_path;
  if (po.need_identity && !resolve_identity(g, ex, d, s, po, out.id, fail)) return false;
  return header_edits(g, ex, d, out, fail);
}

void set_all_results(Delivery& d, const AddressResult& r) {
  d.results.assign(d.addresses.size(), r);
}

AddressResult ok_result() {
  AddressResult r;
  r.outcome = Outcome::Ok;
  return r;
}

AddressResult defer_result(std::string message, int err) {
  AddressResult r;
  r.outcome = Outcome::Defer;
  r.message = std::move(message);
  r.errno_value = err;
  r.retry = RetryScope::Address;
  return r;
}

AddressResult fail_result(std::string message) {
  AddressResult r;
  r.outcome = Outcome::Fail;
  r.message = std::move(message);
  return r;
}

bool parse_size(std::string_view text, int64_t& out) {
  std::string t(util::trim(text));
  if (t.empty()) {
    out = 0;
    return true;
  }
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || v < 0 || !std::isfinite(v)) return false;
  std::string_view rest(end);
  double mult = 1;
  if (!rest.empty()) {
    switch (rest.front()) {
      case 'K':
      case 'k':
        mult = 1024.0;
        break;
      case 'M':
      case 'm':
        mult = 1024.0 * 1024;
        break;
      case 'G':
      case 'g':
        mult = 1024.0 * 1024 * 1024;
        break;
      default:
        return false;
    }
    rest.remove_prefix(1);
  }
  if (!rest.empty()) return false;
  out = static_cast<int64_t>(v * mult);
  return true;
}

}  // namespace transports

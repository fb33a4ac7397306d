#include "engine/route_options.h"

#include "engine/config/values.h"
#include "lang/lists.h"
#include "util/strings.h"

namespace engine {
namespace {

using config::InstanceOptions;

const lang::Program* program_of(const InstanceOptions& o, std::string_view name) {
  return o.program(name);
}

// The generic booleans, read in file order so that "verify" and "fail_verify" set both
// halves and a later verify_sender/verify_recipient overrides them (spec 15).
void read_verify_flags(const InstanceOptions& o, RouterOptions& r) {
  for (const config::Setting& s : o.instance().options) {
    bool b = false;
    if (!config::read_bool(s.value, s.name, b).empty()) continue;
    if (s.name == "verify") r.verify_sender = r.verify_recipient = b;
    if (s.name == "verify_sender") r.verify_sender = b;
    if (s.name == "verify_recipient") r.verify_recipient = b;
    if (s.name == "fail_verify") r.fail_verify_sender = r.fail_verify_recipient = b;
    if (s.name == "fail_verify_sender") r.fail_verify_sender = b;
    if (s.name == "fail_verify_recipient") r.fail_verify_recipient = b;
  }
}

std::string read_expanded_bool(const InstanceOptions& o, std::string_view name, ExpandedBool& out) {
  const config::Setting* s = o.setting(name);
  if (!s) return {};
  if (s->value.find('$') != std::string::npos && s->program) {
    out.program = s->program.get();
    return {};
  }
  return config::read_bool(s->value, name, out.value);
}

// Splits `list` (default separator `sep`) and compiles each item.
std::string compile_items(std::string_view list, char sep, std::vector<ItemProgram>& out) {
  lang::ListReader rd(list, sep);
  std::string item;
  while (rd.next(item)) {
    auto p = std::make_shared<lang::Program>();
    lang::Status st = lang::Program::compile(item, *p);
    if (!st.is_ok()) return "syntax error in expansion of \"" + item + "\": " + st.message();
    out.push_back({item, std::move(p)});
  }
  return {};
}

std::string compile_set(std::string_view list, std::vector<SetItem>& out) {
  lang::ListReader rd(list, ';');
  std::string item;
  while (rd.next(item)) {
    size_t eq = item.find('=');
    std::string name(util::trim(std::string_view(item).substr(0, eq)));
    if (eq == std::string::npos || name.size() < 3 || name.compare(0, 2, "r_") != 0)
      return "bad \"set\" item \"" + item + "\": the variable name must start with \"r_\"";
    auto p = std::make_shared<lang::Program>();
    lang::Status st = lang::Program::compile(util::trim(std::string_view(item).substr(eq + 1)), *p);
    if (!st.is_ok()) return "syntax error in expansion of \"" + item + "\": " + st.message();
    out.push_back({name, std::move(p)});
  }
  return {};
}

void read_preconditions(const InstanceOptions& o, RouterOptions& r) {
  r.local_part_prefix = o.get_string("local_part_prefix");
  r.local_part_suffix = o.get_string("local_part_suffix");
  r.prefix_optional = o.get_bool("local_part_prefix_optional");
  r.suffix_optional = o.get_bool("local_part_suffix_optional");
  read_verify_flags(o, r);
  r.verify_only = o.get_bool("verify_only");
  r.address_test = o.get_bool("address_test");
  r.expn = o.get_bool("expn");
  r.domains = program_of(o, "domains");
  r.local_parts = program_of(o, "local_parts");
  r.check_local_user = o.get_bool("check_local_user");
  r.router_home_directory = program_of(o, "router_home_directory");
  r.senders = program_of(o, "senders");
  r.debug_print = program_of(o, "debug_print");
  r.condition = program_of(o, "condition");
}

void read_delivery_options(const InstanceOptions& o, RouterOptions& r) {
  r.address_data = program_of(o, "address_data");
  r.caseful_local_part = o.get_bool("caseful_local_part");
  r.pass_router = o.get_string("pass_router");
  r.redirect_router = o.get_string("redirect_router");
  r.cannot_route_message = program_of(o, "cannot_route_message");
  r.errors_to_set = o.is_set("errors_to");
  r.errors_to = program_of(o, "errors_to");
  r.errors_to_text = o.get_string("errors_to");
  r.transport = program_of(o, "transport");
  r.transport_text = o.get_string("transport");
  r.user = program_of(o, "user");
  r.group = program_of(o, "group");
  r.initgroups = o.get_bool("initgroups");
  r.transport_home_directory = program_of(o, "transport_home_directory");
  r.transport_current_directory = program_of(o, "transport_current_directory");
  r.fallback_hosts = o.get_string("fallback_hosts");
  r.ignore_target_hosts = program_of(o, "ignore_target_hosts");
  r.translate_ip_address = program_of(o, "translate_ip_address");
  r.pass_on_timeout = o.get_bool("pass_on_timeout");
  r.disable_logging = o.get_bool("disable_logging");
}

// Defaults that depend on other settings (spec 15: retry_use_local_part, log_as_local).
void computed_defaults(const InstanceOptions& o, RouterOptions& r) {
  if (o.is_set("retry_use_local_part")) {
    r.retry_use_local_part = o.get_bool("retry_use_local_part");
  } else {
    r.retry_use_local_part = r.check_local_user || r.local_parts || r.condition ||
                             !r.local_part_prefix.empty() || !r.local_part_suffix.empty() ||
                             r.senders || !r.require_files.empty();
  }
  r.log_as_local = o.is_set("log_as_local") ? o.get_bool("log_as_local") : r.driver == "accept";
  const config::DriverInfo* d = config::find_driver(config::DriverKind::Router, r.driver);
  bool has_repeat_use =
      config::find_driver_option(config::DriverKind::Router, d, "repeat_use") != nullptr;
  r.repeat_use = !has_repeat_use || o.get_bool("repeat_use");
}

}  // namespace

std::string parse_self_option(std::string_view text, SelfAction& out) {
  std::string_view t = util::trim(text);
  static const std::pair<std::string_view, SelfAction::Kind> kWords[] = {
      {"freeze", SelfAction::Freeze},
      {"defer", SelfAction::Defer},
      {"fail", SelfAction::Fail},
      {"send", SelfAction::Send},
      {"pass", SelfAction::Pass}};
  for (auto [word, kind] : kWords) {
    if (t == word) {
      out = {kind, false, ""};
      return {};
    }
  }
  if (t.substr(0, 8) == "reroute:") {
    std::string_view d = util::trim(t.substr(8));
    out = {SelfAction::Reroute, false, ""};
    if (d.substr(0, 8) == "rewrite:") {
      out.rewrite = true;
      d = util::trim(d.substr(8));
    }
    out.domain = std::string(d);
    if (!out.domain.empty()) return {};
  }
  return std::string(t) + " is not valid for the self option";
}

bool transport_driver_is_local(std::string_view driver) {
  return driver == "appendfile" || driver == "pipe" || driver == "lmtp" || driver == "autoreply";
}

bool router_verify_flag(const InstanceOptions& o, std::string_view name) {
  RouterOptions r;
  read_verify_flags(o, r);
  if (name == "verify_sender") return r.verify_sender;
  if (name == "verify_recipient") return r.verify_recipient;
  if (name == "fail_verify_sender") return r.fail_verify_sender;
  return r.fail_verify_recipient;
}

util::Result<RouterOptions> read_router_options(const InstanceOptions& o) {
  RouterOptions r;
  r.name = o.instance().name;
  r.driver = o.instance().driver;
  read_preconditions(o, r);
  read_delivery_options(o, r);
  std::string err = compile_items(o.get_string("require_files"), ':', r.require_files);
  if (err.empty()) err = compile_items(o.get_string("headers_add"), '\n', r.headers_add);
  if (err.empty()) err = compile_items(o.get_string("headers_remove"), ':', r.headers_remove);
  if (err.empty()) err = compile_set(o.get_string("set"), r.set);
  if (err.empty()) err = read_expanded_bool(o, "more", r.more);
  if (err.empty()) err = read_expanded_bool(o, "unseen", r.unseen);
  if (err.empty()) err = parse_self_option(o.get_string("self"), r.self);
  if (!err.empty()) return util::Error{err, o.instance().loc};
  computed_defaults(o, r);
  return r;
}

}  // namespace engine

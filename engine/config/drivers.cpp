#include "engine/config/drivers.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

#include "engine/config/config.h"
#include "engine/config/suggest.h"
#include "engine/config/values.h"
#include "lang/expand.h"

namespace engine::config {
namespace {

using T = OptType;

constexpr std::string_view kRouters[] = {"accept",      "dnslookup",    "ipliteral", "iplookup",
                                         "manualroute", "queryprogram", "redirect"};
constexpr std::string_view kTransports[] = {"appendfile", "autoreply", "lmtp", "pipe", "smtp"};
constexpr std::string_view kAuthenticators[] = {"cram_md5",  "cyrus_sasl", "dovecot",
                                                "external",  "gsasl",      "heimdal_gssapi",
                                                "plaintext", "spa",        "tls"};

// Generic router options (spec chapter "Generic options for routers"), sorted.
constexpr DriverOption kRouterGeneric[] = {
    {"address_data", T::String, true, ""},
    {"address_test", T::Bool, false, "true"},
    {"cannot_route_message", T::String, true, ""},
    {"caseful_local_part", T::Bool, false, "false"},
    {"check_local_user", T::Bool, false, "false"},
    {"condition", T::String, true, ""},
    {"debug_print", T::String, true, ""},
    {"disable_logging", T::Bool, false, "false"},
    {"dnssec_request_domains", T::List, true, "*"},
    {"dnssec_require_domains", T::List, true, ""},
    {"domains", T::List, true, ""},
    {"driver", T::String, false, ""},
    {"dsn_lasthop", T::Bool, false, "false"},
    {"errors_to", T::String, true, ""},
    {"expn", T::Bool, false, "true"},
    {"fail_verify", T::Bool, false, "false"},
    {"fail_verify_recipient", T::Bool, false, "false"},
    {"fail_verify_sender", T::Bool, false, "false"},
    {"fallback_hosts", T::List, false, ""},
    {"group", T::String, true, ""},
    {"headers_add", T::List, true, ""},
    {"headers_remove", T::List, true, ""},
    {"ignore_target_hosts", T::List, true, ""},
    {"initgroups", T::Bool, false, "false"},
    {"local_part_prefix", T::List, false, ""},
    {"local_part_prefix_optional", T::Bool, false, "false"},
    {"local_part_suffix", T::List, false, ""},
    {"local_part_suffix_optional", T::Bool, false, "false"},
    {"local_parts", T::List, true, ""},
    {"log_as_local", T::Bool, false, ""},
    {"more", T::Bool, true, "true"},
    {"pass_on_timeout", T::Bool, false, "false"},
    {"pass_router", T::String, false, ""},
    {"redirect_router", T::String, false, ""},
    {"require_files", T::List, true, ""},
    {"retry_use_local_part", T::Bool, false, ""},
    {"router_home_directory", T::String, true, ""},
    {"self", T::String, false, "freeze"},
    {"senders", T::List, true, ""},
    {"set", T::List, false, ""},
    {"translate_ip_address", T::String, true, ""},
    {"transport", T::String, true, ""},
    {"transport_current_directory", T::String, true, ""},
    {"transport_home_directory", T::String, true, ""},
    {"unseen", T::Bool, true, "false"},
    {"user", T::String, true, ""},
    {"verify", T::Bool, false, "true"},
    {"verify_only", T::Bool, false, "false"},
    {"verify_recipient", T::Bool, false, "true"},
    {"verify_sender", T::Bool, false, "true"},
};

// Generic transport options (spec chapter "Generic options for transports"), sorted.
constexpr DriverOption kTransportGeneric[] = {
    {"body_only", T::Bool, false, "false"},
    {"current_directory", T::String, true, ""},
    {"debug_print", T::String, true, ""},
    {"delivery_date_add", T::Bool, false, "false"},
    {"disable_logging", T::Bool, false, "false"},
    {"driver", T::String, false, ""},
    {"envelope_to_add", T::Bool, false, "false"},
    {"event_action", T::String, true, ""},
    {"group", T::String, true, ""},
    {"headers_add", T::List, true, ""},
    {"headers_only", T::Bool, false, "false"},
    {"headers_remove", T::List, true, ""},
    {"headers_rewrite", T::String, false, ""},
    {"home_directory", T::String, true, ""},
    {"initgroups", T::Bool, false, "false"},
    {"max_parallel", T::Int, true, ""},
    {"message_size_limit", T::String, true, ""},  // unset: no limit (-bP shows it empty)
    {"rcpt_include_affixes", T::Bool, false, "false"},
    {"retry_use_local_part", T::Bool, false, ""},
    {"return_path", T::String, true, ""},
    {"return_path_add", T::Bool, false, "false"},
    {"shadow_condition", T::String, true, ""},
    {"shadow_transport", T::String, false, ""},
    {"transport_filter", T::String, true, ""},
    {"transport_filter_timeout", T::Time, false, "5m"},
    {"user", T::String, true, ""},
};

// Generic authenticator options (spec chapter "SMTP authentication"), sorted.
constexpr DriverOption kAuthGeneric[] = {
    {"client_condition", T::String, true, ""},
    {"client_set_id", T::String, true, ""},
    {"driver", T::String, false, ""},
    {"public_name", T::String, false, ""},
    {"server_advertise_condition", T::String, true, ""},
    {"server_condition", T::String, true, ""},
    {"server_debug_print", T::String, true, ""},
    {"server_mail_auth_condition", T::String, true, ""},
    {"server_set_id", T::String, true, ""},
};

bool sorted_by_name(std::span<const DriverOption> opts) {
  return std::is_sorted(opts.begin(), opts.end(), [](const DriverOption& a, const DriverOption& b) {
    return a.name < b.name;
  });
}

const DriverOption* find_in(std::span<const DriverOption> opts, std::string_view name) {
  auto it = std::lower_bound(opts.begin(), opts.end(), name,
                             [](const DriverOption& o, std::string_view n) { return o.name < n; });
  return it != opts.end() && it->name == name ? &*it : nullptr;
}

// Registration happens during static initialisation, lookups afterwards; the map is never
// changed once main() runs, so reads need no lock.
std::map<std::pair<DriverKind, std::string_view>, DriverInfo>& registry() {
  static std::map<std::pair<DriverKind, std::string_view>, DriverInfo> r;
  return r;
}

}  // namespace

std::string_view driver_kind_name(DriverKind k) {
  switch (k) {
    case DriverKind::Router:
      return "router";
    case DriverKind::Transport:
      return "transport";
    case DriverKind::Authenticator:
      return "authenticator";
  }
  return "driver";
}

std::span<const std::string_view> known_drivers(DriverKind k) {
  switch (k) {
    case DriverKind::Router:
      return kRouters;
    case DriverKind::Transport:
      return kTransports;
    case DriverKind::Authenticator:
      return kAuthenticators;
  }
  return {};
}

std::span<const DriverOption> generic_options(DriverKind k) {
  switch (k) {
    case DriverKind::Router:
      return kRouterGeneric;
    case DriverKind::Transport:
      return kTransportGeneric;
    case DriverKind::Authenticator:
      return kAuthGeneric;
  }
  return {};
}

void register_driver(const DriverInfo& info) {
  if (!sorted_by_name(info.options) || !sorted_by_name(generic_options(info.kind))) {
    std::fprintf(stderr, "facteur: option table of %s driver %.*s is not sorted\n",
                 std::string(driver_kind_name(info.kind)).c_str(),
                 static_cast<int>(info.name.size()), info.name.data());
    std::abort();
  }
  if (!registry().emplace(std::pair{info.kind, info.name}, info).second) {
    std::fprintf(stderr, "facteur: %s driver %.*s registered twice\n",
                 std::string(driver_kind_name(info.kind)).c_str(),
                 static_cast<int>(info.name.size()), info.name.data());
    std::abort();
  }
}

const DriverInfo* find_driver(DriverKind k, std::string_view name) {
  auto it = registry().find({k, name});
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<const DriverInfo*> registered_drivers(DriverKind k) {
  std::vector<const DriverInfo*> out;
  for (const auto& [key, info] : registry())
    if (key.first == k) out.push_back(&info);
  return out;
}

const DriverOption* find_driver_option(DriverKind k, const DriverInfo* driver,
                                       std::string_view name) {
  if (const DriverOption* o = find_in(generic_options(k), name)) return o;
  return driver ? find_in(driver->options, name) : nullptr;
}

std::string suggest_driver_option(DriverKind k, const DriverInfo* driver, std::string_view name) {
  std::vector<std::string_view> names;
  for (const DriverOption& o : generic_options(k)) names.push_back(o.name);
  if (driver)
    for (const DriverOption& o : driver->options) names.push_back(o.name);
  return did_you_mean(name, names);
}

// ----- InstanceOptions -----

InstanceOptions::InstanceOptions(DriverKind kind, const Instance& inst)
    : kind_(kind), inst_(inst), driver_(find_driver(kind, inst.driver)) {}

const Setting* InstanceOptions::setting(std::string_view name) const {
  for (const Setting& s : inst_.options)
    if (s.name == name) return &s;
  return nullptr;
}

const DriverOption* InstanceOptions::option(std::string_view name) const {
  return find_driver_option(kind_, driver_, name);
}

std::string InstanceOptions::value_of(std::string_view name) const {
  if (const Setting* s = setting(name)) return s->value;
  const DriverOption* o = option(name);
  return o ? std::string(o->dflt) : std::string();
}

bool InstanceOptions::get_bool(std::string_view name) const {
  bool b = false;
  return read_bool(value_of(name), name, b).empty() && b;
}

int64_t InstanceOptions::get_int(std::string_view name) const {
  int64_t n = 0;
  const DriverOption* o = option(name);
  std::string v = value_of(name);
  if (o && o->type == T::Fixed) return read_fixed(v, name, n).empty() ? n : 0;
  return read_integer(v, name, n, INT64_MAX / 1024).empty() ? n : 0;
}

int64_t InstanceOptions::get_time(std::string_view name) const {
  int64_t n = 0;
  return read_time(value_of(name), name, n).empty() ? n : 0;
}

std::string InstanceOptions::get_string(std::string_view name) const {
  return value_of(name);
}

const lang::Program* InstanceOptions::program(std::string_view name) const {
  const Setting* s = setting(name);
  return s ? s->program.get() : nullptr;
}

lang::Status InstanceOptions::expand(std::string_view name, lang::EvalContext& ctx,
                                     std::string& out) const {
  out.clear();
  if (const lang::Program* p = program(name)) return p->eval(ctx, out);
  const DriverOption* o = option(name);
  std::string text = value_of(name);
  if (!o || !o->expanded) {
    out = std::move(text);
    return lang::Status::ok();
  }
  return lang::expand_string(text, ctx, out);
}

}  // namespace engine::config

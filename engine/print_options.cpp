#include "engine/print_options.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "engine/config/drivers.h"
#include "engine/config/main_options.h"
#include "engine/config/values.h"
#include "engine/route_options.h"

extern char** environ;

namespace engine {
namespace {

using config::Config;
using config::DriverKind;
using config::OptType;

constexpr const char* kHidden = "<value not displayable>";
constexpr const char* kVersion = kFacteurVersion;

// Non-printing characters as Exim's -bP shows them (string_printing: \n, \t, \ooo).
std::string printable(std::string_view v) {
  std::string out;
  for (unsigned char c : v) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\r')
      out += "\\r";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Options -bP does not list: the "verify"/"fail_verify" shorthands, and
// translate_ip_address unless set (Exim 4.96 as packaged is built without it).
bool hidden_driver_option(DriverKind kind, std::string_view name, const config::Setting* s) {
  if (kind != DriverKind::Router) return false;
  if (name == "verify" || name == "fail_verify") return true;
  return name == "translate_ip_address" && !s;
}

// Defaults that depend on the driver or on other options (spec 15 and 24:
// retry_use_local_part, log_as_local; spec 22: check_owner, check_group).
std::string driver_default(DriverKind kind, const config::InstanceOptions& io,
                           const config::DriverOption& o) {
  auto yes = [](bool b) { return std::string(b ? "true" : "false"); };
  const std::string& driver = io.instance().driver;
  if (o.name == "retry_use_local_part") {
    if (kind == DriverKind::Transport) return yes(transport_driver_is_local(driver));
    return yes(io.get_bool("check_local_user") || io.is_set("local_parts") ||
               io.is_set("condition") || io.is_set("local_part_prefix") ||
               io.is_set("local_part_suffix") || io.is_set("senders") ||
               io.is_set("require_files"));
  }
  if (o.name == "log_as_local") return yes(driver == "accept");
  if (kind == DriverKind::Router && o.name == "check_owner")
    return yes(io.get_bool("check_local_user") || io.is_set("owners"));
  if (kind == DriverKind::Router && o.name == "check_group")
    return yes(io.is_set("owngroups") ||
               (io.get_bool("check_local_user") && (io.get_int("modemask") & 020) == 0));
  return std::string(o.dflt);
}

class Printer {
 public:
  Printer(const Config& cfg, const PrintSettings& how, std::FILE* out)
      : cfg_(cfg), how_(how), out_(out) {}
  int item(const std::vector<std::string>& args, size_t& i);
  void all_main();

 private:
  void line(std::string_view s) {
    std::fwrite(s.data(), 1, s.size(), out_);
    std::fputc('\n', out_);
  }
  void setting(std::string_view name, std::string_view value, bool hidden, bool bare_eq);
  int main_option(std::string_view name);
  int named_list(std::string_view name);
  int macros(bool names_only);
  int macro(std::string_view name);
  int instances(DriverKind kind, bool with_options);
  int instance(DriverKind kind, std::string_view name);
  void instance_options(DriverKind kind, const config::Instance& inst);
  void driver_option(DriverKind kind, const config::InstanceOptions& io,
                     const config::DriverOption& o);
  void config_text();
  void environment();
  const std::vector<config::Instance>& of(DriverKind k) const {
    if (k == DriverKind::Router) return cfg_.routers;
    return k == DriverKind::Transport ? cfg_.transports : cfg_.authenticators;
  }

  const Config& cfg_;
  const PrintSettings& how_;
  std::FILE* out_;
};

// "name = value"; `bare_eq` prints "name =" for an empty value (uid/gid lists, fixed-point).
void Printer::setting(std::string_view name, std::string_view value, bool hidden, bool bare_eq) {
  std::string v = hidden && !how_.admin ? kHidden : std::string(value);
  if (how_.no_name) return line(v);
  std::string s(name);
  s += v.empty() && bare_eq ? " =" : " = " + v;
  line(s);
}

int Printer::main_option(std::string_view name) {
  const config::MainOption* opt = config::find_main_option(name);
  if (!opt) {
    line(std::string(name) + " is not a known option");
    return 1;
  }
  std::string v = config::main_option_display(cfg_, *opt);
  const config::Setting* s = cfg_.find_main(opt->name);
  bool hidden = s && s->hidden;
  if (opt->type == OptType::Bool) {
    line((v == "true" ? "" : "no_") + std::string(opt->name));
    return 0;
  }
  bool bare_eq =
      opt->type == OptType::Fixed || opt->type == OptType::UidList || opt->type == OptType::GidList;
  setting(opt->name, v, hidden, bare_eq);
  return 0;
}

void Printer::all_main() {
  for (const config::MainOption& o : config::main_options()) (void)main_option(o.name);
}

int Printer::named_list(std::string_view name) {
  const config::ListDef* l = cfg_.find_list(name);
  if (!l) {
    line("no address, domain, host, or local part list called \"" + std::string(name) +
         "\" exists");
    return 1;
  }
  // Every kind of list with that name, as Exim prints them.
  for (const config::ListDef& d : cfg_.lists) {
    if (d.name != name) continue;
    setting(std::string(config::list_kind_name(d.kind)) + " " + d.name, d.value, d.hidden, false);
  }
  return 0;
}

int Printer::macros(bool names_only) {
  if (!how_.admin) {
    line("-bP macros is restricted to admin users");
    return 1;
  }
  std::vector<const config::Macro*> builtin, user;
  for (const config::Macro& m : cfg_.macros) (m.builtin ? builtin : user).push_back(&m);
  std::sort(builtin.begin(), builtin.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (auto* list : {&builtin, &user}) {
    for (const config::Macro* m : *list) line(names_only ? m->name : m->name + "=" + m->value);
  }
  return 0;
}

int Printer::macro(std::string_view name) {
  if (!how_.admin) return macros(false);
  const config::Macro* m = cfg_.find_macro(name);
  if (!m) {
    line("macro " + std::string(name) + " not found");
    return 1;
  }
  line(how_.no_name ? m->value : m->name + "=" + m->value);
  return 0;
}

// Every option of a driver instance, as Exim lists them: the generic options, then the
// driver's own, each group in name order, with values or defaults (spec 5, -bP router).
// Options of a driver nobody has registered yet are shown only when set.
void Printer::instance_options(DriverKind kind, const config::Instance& inst) {
  config::InstanceOptions io(kind, inst);
  const config::DriverInfo* d = config::find_driver(kind, inst.driver);
  std::vector<const config::DriverOption*> generic, own;
  for (const config::DriverOption& o : config::generic_options(kind)) generic.push_back(&o);
  if (d) {
    for (const config::DriverOption& o : d->options) own.push_back(&o);
  }
  for (const auto* list : {&generic, &own})
    for (const config::DriverOption* o : *list) driver_option(kind, io, *o);
  if (d) return;
  std::vector<const config::Setting*> rest;
  for (const config::Setting& s : inst.options)
    if (!config::find_driver_option(kind, nullptr, s.name)) rest.push_back(&s);
  std::stable_sort(rest.begin(), rest.end(), [](auto* a, auto* b) { return a->name < b->name; });
  for (const config::Setting* s : rest) {
    if (s->bare)
      line((s->value == "true" ? "" : "no_") + s->name);
    else
      setting(s->name, printable(s->value), s->hidden, false);
  }
}

// One option: booleans as "name"/"no_name" (an expanded one that is not a plain boolean as
// "name = value"), others as "name = value".
void Printer::driver_option(DriverKind kind, const config::InstanceOptions& io,
                            const config::DriverOption& o) {
  const config::Setting* s = io.setting(o.name);
  if (hidden_driver_option(kind, o.name, s)) return;
  std::string v = s ? s->value : driver_default(kind, io, o);
  if (kind == DriverKind::Router && o.name.find("verify_") != std::string_view::npos &&
      o.name != "verify_only")
    v = router_verify_flag(io, o.name) ? "true" : "false";
  bool b = false;
  if (o.type == OptType::Bool && config::read_bool(v, o.name, b).empty()) {
    line((b ? "" : "no_") + std::string(o.name));
    return;
  }
  if (o.type != OptType::Bool && o.type != OptType::String && o.type != OptType::List)
    v = config::option_value_display(o, v);
  bool bare_eq = o.type == OptType::UidList || o.type == OptType::GidList;
  setting(o.name, printable(v), s && s->hidden, bare_eq);
}

int Printer::instances(DriverKind kind, bool with_options) {
  for (const config::Instance& inst : of(kind)) {
    if (!with_options) {
      line(inst.name);
      continue;
    }
    line("");
    line(inst.name + " " + std::string(config::driver_kind_name(kind)) + ":");
    instance_options(kind, inst);
  }
  return 0;
}

int Printer::instance(DriverKind kind, std::string_view name) {
  for (const config::Instance& inst : of(kind)) {
    if (inst.name != name) continue;
    instance_options(kind, inst);
    return 0;
  }
  line(std::string(config::driver_kind_name(kind)) + " " + std::string(name) + " not found");
  return 1;
}

// The configuration as parsed: includes resolved, comments gone, sections laid out.
void Printer::config_text() {
  line(std::string("# Facteur configuration (") + kVersion + ")");
  line("# 1 \"" + cfg_.path + "\"");
  bool in_section = false;
  for (const config::Line& l : cfg_.lines) {
    std::string_view t = l.text;
    if (t.size() > 6 && t.substr(0, 6) == "begin ") {
      line("");
      line(t);
      line("");
      in_section = true;
      continue;
    }
    bool header = !t.empty() && t.back() == ':' && t.find(' ') == std::string_view::npos;
    if (!in_section)
      line(t);
    else
      line((header ? "  " : "    ") + std::string(t));
  }
}

void Printer::environment() {
  for (char** e = environ; e && *e; ++e) {
    std::string_view v(*e);
    line(how_.no_name ? v.substr(0, v.find('=')) : v);
  }
}

int Printer::item(const std::vector<std::string>& args, size_t& i) {
  const std::string& a = args[i];
  auto next = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string(); };
  static const std::pair<std::string_view, DriverKind> kinds[] = {
      {"router", DriverKind::Router},
      {"transport", DriverKind::Transport},
      {"authenticator", DriverKind::Authenticator}};
  for (auto [word, kind] : kinds) {
    if (a == word) return instance(kind, next());
    if (a == std::string(word) + "s") return instances(kind, true);
    if (a == std::string(word) + "_list") return instances(kind, false);
  }
  if (a == "config_file" || a == "configure_file") return line(cfg_.path), 0;
  if (a == "config") return config_text(), 0;
  if (a == "environment") return environment(), 0;
  if (a == "macros") return macros(false);
  if (a == "macro_list") return macros(true);
  if (a == "macro") return macro(next());
  if (!a.empty() && a[0] == '+') return named_list(std::string_view(a).substr(1));
  return main_option(a);
}

}  // namespace

void print_version(std::FILE* out) {
  std::fprintf(out, "Facteur version %s built %s %s\n", kVersion, __DATE__, __TIME__);
  std::fprintf(out, "Support for: crypteq IPv6 OpenSSL\n");
  std::fprintf(out,
               "Lookups (built-in): lsearch wildlsearch nwildlsearch iplsearch cdb dnsdb "
               "dsearch sqlite\n");
  static const std::pair<const char*, DriverKind> kinds[] = {
      {"Authenticators", DriverKind::Authenticator},
      {"Routers", DriverKind::Router},
      {"Transports", DriverKind::Transport}};
  for (auto [title, kind] : kinds) {
    std::string names;
    // The drivers built in (registered), not every name the reader knows of.
    for (const config::DriverInfo* d : config::registered_drivers(kind))
      names += " " + std::string(d->name);
    std::fprintf(out, "%s:%s\n", title, names.c_str());
  }
}

int print_config_options(const config::Config& cfg, const std::vector<std::string>& args,
                         const PrintSettings& how, std::FILE* out) {
  Printer p(cfg, how, out);
  if (args.empty()) {
    p.all_main();
    return 0;
  }
  int rc = 0;
  for (size_t i = 0; i < args.size(); ++i) rc = p.item(args, i);
  return rc;
}

}  // namespace engine

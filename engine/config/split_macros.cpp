#include "engine/config/split_macros.h"

#include <algorithm>
#include <cctype>

#include "engine/config/suggest.h"
#include "util/strings.h"

namespace engine::config {
namespace {

constexpr std::string_view kKnown[] = {
    "dc_eximconfig_configtype", "dc_other_hostnames", "dc_local_interfaces", "dc_readhost",
    "dc_relay_domains",         "dc_minimaldns",      "dc_relay_nets",       "dc_smarthost",
    "dc_use_split_config",      "dc_hide_mailname",   "dc_mailname_in_oh",   "dc_localdelivery",
    "ue4c_keepcomments",        "CFILEMODE"};

constexpr std::string_view kConfigTypes[] = {"internet", "smarthost", "satellite", "local", "none"};

constexpr std::string_view kLookupTypes[] = {
    "cdb", "dbm", "dbmnz", "dsearch", "iplsearch", "lsearch", "nis", "wildlsearch", "nwildlsearch"};

bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("-/.!*@_~:;< []").find(c) != std::string_view::npos;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A value as Debian's tool uses it: white space collapsed, lower case, unknown characters '_'.
std::string clean_value(const SplitSettings& s, const SplitSetting& item, Diagnostics& diag) {
  std::string out;
  for (char c : util::trim(item.value)) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  out = util::to_lower(out);
  std::string clean = out;
  std::replace_if(
      clean.begin(), clean.end(), [](char c) { return !allowed_char(c); }, '_');
  if (clean != out) {
    diag.warnings.push_back(s.path + ":" + std::to_string(item.line) + ": " + item.name +
                            ": characters other than letters, digits and -/.!*@_~:;< [] "
                            "replaced by '_': \"" +
                            clean + "\"");
  }
  return clean;
}

// Lookups ("lsearch;/file") were never supported in these settings (update-exim4.conf(8)).
void warn_lookups(const SplitSettings& s, const SplitSetting& item, const std::string& value,
                  Diagnostics& diag) {
  for (std::string_view type : kLookupTypes) {
    for (size_t p = value.find(type); p != std::string::npos; p = value.find(type, p + 1)) {
      size_t e = p + type.size();
      while (e < value.size() && (value[e] == '*' || value[e] == '@' || value[e] == ' ')) ++e;
      bool word_start = p == 0 || !std::isalnum(static_cast<unsigned char>(value[p - 1]));
      if (word_start && e < value.size() && value[e] == ';') {
        diag.warnings.push_back(s.path + ":" + std::to_string(item.line) + ": " + item.name +
                                ": lookups (\"" + std::string(type) +
                                ";...\") are not supported here; set the macro in a conf.d/main "
                                "fragment instead");
        return;
      }
    }
  }
}

class MacroBuilder {
 public:
  MacroBuilder(const SplitSettings& s, Diagnostics& diag) : s_(s), diag_(diag) {}

  // The cleaned value of a setting ("" when unset).
  std::string value(std::string_view name) {
    const SplitSetting* item = s_.find(name);
    if (!item) return {};
    std::string v = clean_value(s_, *item, diag_);
    warn_lookups(s_, *item, v, diag_);
    return v;
  }
  bool boolean(std::string_view name) {
    const SplitSetting* item = s_.find(name);
    if (!item) return false;
    std::string v = util::to_lower(util::trim(item->value));
    if (v == "true" || v == "yes") return true;
    if (!v.empty() && v != "false" && v != "no") {
      warn(*item, item->name + ": \"" + item->value + "\" is not true or false; taken as false");
    }
    return false;
  }
  void add(std::string name, std::string value, std::string_view from) {
    const SplitSetting* item = s_.find(from);
    if (item)
      out_.push_back({std::move(name), std::move(value), s_.path, item->line});
    else
      out_.push_back({std::move(name), std::move(value), {}, 0});
  }
  void add_at(std::string name, std::string value, std::string file, int line) {
    out_.push_back({std::move(name), std::move(value), std::move(file), line});
  }
  void warn(const SplitSetting& item, const std::string& msg) {
    diag_.warnings.push_back(s_.path + ":" + std::to_string(item.line) + ": " + msg);
  }
  const std::vector<GeneratedMacro>& macros() const { return out_; }
  std::vector<GeneratedMacro> take() { return std::move(out_); }

 private:
  const SplitSettings& s_;
  Diagnostics& diag_;
  std::vector<GeneratedMacro> out_;
};

std::string list_macro(MacroBuilder& b, std::string_view name, std::vector<std::string> head,
                       const std::vector<std::string>& tail) {
  for (std::string& item : split_setting_list(b.value(name))) {
    if (std::find(head.begin(), head.end(), item) == head.end()) head.push_back(std::move(item));
  }
  for (const std::string& item : tail) {
    if (std::find(head.begin(), head.end(), item) == head.end()) head.push_back(item);
  }
  return exim_colon_list(head);
}

void warn_unknown_settings(const SplitSettings& s, Diagnostics& diag) {
  for (const SplitSetting& item : s.items) {
    if (is_known_split_setting(item.name) || std::isupper(static_cast<unsigned char>(item.name[0])))
      continue;
    diag.warnings.push_back(s.path + ":" + std::to_string(item.line) + ": unknown setting \"" +
                            item.name + "\" ignored" + did_you_mean(item.name, kKnown));
  }
}

// dc_minimaldns: DC_minimaldns, and the host's fully qualified name as primary_hostname.
void minimaldns_macros(MacroBuilder& b, const SplitSettings& s, const MacroInputs& in) {
  if (!b.boolean("dc_minimaldns")) return;
  b.add("DC_minimaldns", "1", "dc_minimaldns");
  std::string fqdn = in.fqdn ? util::to_lower(in.fqdn()) : std::string();
  if (fqdn.find('.') != std::string::npos && std::all_of(fqdn.begin(), fqdn.end(), allowed_char)) {
    b.add("MAIN_HARDCODE_PRIMARY_HOSTNAME", fqdn, "dc_minimaldns");
  } else {
    b.warn(*s.find("dc_minimaldns"),
           "dc_minimaldns: the host name \"" + fqdn +
               "\" is not fully qualified, so MAIN_HARDCODE_PRIMARY_HOSTNAME is not set "
               "(fix /etc/hosts so that `hostname --fqdn` gives a name with a dot)");
  }
}

// Settings written in upper case become macros, as Debian's tool does (undocumented there).
// A name containing an earlier macro's name can never be defined: ".ifndef NAME" finds the
// earlier macro in it (spec 6.5), so the definition is skipped; say so.
void uppercase_macros(MacroBuilder& b, const SplitSettings& s) {
  for (const SplitSetting& item : s.items) {
    if (!std::isupper(static_cast<unsigned char>(item.name[0])) || item.name == "CFILEMODE")
      continue;
    b.warn(item, item.name + " is not a documented setting; it is defined as a macro");
    for (const GeneratedMacro& m : b.macros()) {
      if (item.name.find(m.name) == std::string::npos) continue;
      b.warn(item, item.name + " contains the name of the macro " + m.name +
                       ", defined before it, so it is never defined; choose another name");
      break;
    }
    b.add(item.name, std::string(util::trim(item.value)), item.name);
  }
}

}  // namespace

bool is_known_split_setting(std::string_view name) {
  return std::find(std::begin(kKnown), std::end(kKnown), name) != std::end(kKnown);
}

std::vector<std::string> split_setting_list(std::string_view value) {
  std::string_view v = util::trim(value);
  char sep = ':';
  if (v.size() >= 2 && v[0] == '<' && !is_space(v[1])) {
    sep = v[1];
    v = v.substr(2);
  } else if (v.find(';') != std::string_view::npos) {
    sep = ';';
  }
  std::vector<std::string> items;
  std::string cur;
  auto flush = [&] {
    std::string_view t = util::trim(cur);
    if (!t.empty()) items.emplace_back(t);
    cur.clear();
  };
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != sep) {
      cur += v[i];
    } else if (sep == ':' && i + 1 < v.size() && v[i + 1] == ':') {
      cur += ':';
      ++i;
    } else {
      flush();
    }
  }
  flush();
  return items;
}

std::string exim_colon_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += " : ";
    for (char c : item) out += c == ':' ? std::string("::") : std::string(1, c);
  }
  return out;
}

std::string mailname_first_word(std::string_view text) {
  std::string_view line = text.substr(0, text.find('\n'));
  size_t e = 0;
  while (e < line.size() && (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '-' ||
                             line[e] == '@' || line[e] == '.'))
    ++e;
  return util::to_lower(line.substr(0, e));
}

std::vector<GeneratedMacro> split_macros(const SplitSettings& s, const MacroInputs& in,
                                         Diagnostics& diag) {
  warn_unknown_settings(s, diag);
  MacroBuilder b(s, diag);
  std::string type = b.value("dc_eximconfig_configtype");
  bool known =
      std::find(std::begin(kConfigTypes), std::end(kConfigTypes), type) != std::end(kConfigTypes);
  if (!known && !type.empty()) {
    b.warn(*s.find("dc_eximconfig_configtype"),
           "dc_eximconfig_configtype: unknown type \"" + type +
               "\" (internet, smarthost, satellite, local or none); taken as none");
  }
  if (!known || type == "none") {
    diag.notes.push_back("configuration type " + (type.empty() ? "unset" : type) +
                         ": no macros generated from " + s.path);
    return {};
  }
  if (std::string v = b.value("dc_local_interfaces"); !v.empty())
    b.add("MAIN_LOCAL_INTERFACES", exim_colon_list(split_setting_list(v)), "dc_local_interfaces");
  minimaldns_macros(b, s, in);
  bool hide = b.boolean("dc_hide_mailname");
  std::string readhost = b.value("dc_readhost");
  if (hide && (type == "smarthost" || type == "satellite") && !readhost.empty()) {
    b.add("HIDE_MAILNAME", "1", "dc_hide_mailname");
  } else if (hide) {
    diag.notes.push_back(
        "dc_hide_mailname ignored: it needs type smarthost or satellite and "
        "dc_readhost");
  }
  b.add("MAIN_PACKAGE_VERSION", in.version, "");
  b.add("MAIN_LOCAL_DOMAINS", list_macro(b, "dc_other_hostnames", {"@", "localhost"}, {}),
        "dc_other_hostnames");
  b.add("MAIN_RELAY_TO_DOMAINS", list_macro(b, "dc_relay_domains", {}, {}), "dc_relay_domains");
  std::string mailname = mailname_first_word(in.mailname_text);
  b.add_at("ETC_MAILNAME", mailname, mailname.empty() ? "" : in.mailname_file,
           mailname.empty() ? 0 : 1);
  std::string delivery = b.value("dc_localdelivery");
  b.add("LOCAL_DELIVERY", delivery.empty() ? "mail_spool" : delivery, "dc_localdelivery");
  b.add("MAIN_RELAY_NETS", list_macro(b, "dc_relay_nets", {}, {"127.0.0.1", "::1"}),
        "dc_relay_nets");
  b.add("DCreadhost", readhost, "dc_readhost");
  std::string smarthost = b.value("dc_smarthost");
  std::replace(smarthost.begin(), smarthost.end(), ';', ':');
  b.add("DCsmarthost", smarthost, "dc_smarthost");
  b.add("DC_eximconfig_configtype", type, "dc_eximconfig_configtype");
  b.add("DCconfig_" + type, "1", "dc_eximconfig_configtype");
  uppercase_macros(b, s);
  return b.take();
}

}  // namespace engine::config

#include "engine/config/macros.h"

#include <algorithm>
#include <cctype>

#include "engine/config/drivers.h"
#include "engine/config/main_options.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace engine::config {
namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Start of the next place a macro name can begin: an upper-case letter or "_" + upper-case.
size_t next_candidate(const std::string& s, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if (is_upper(s[i]) || (s[i] == '_' && i + 1 < s.size() && is_upper(s[i + 1]))) return i;
  }
  return std::string::npos;
}

// Features of this build (spec 6.9): what facteur has, named as Exim names them.
// The lookups this issue builds in (lsearch stands for its wild/nwild/ip variants, as in
// Exim). crypteq is present when the lang/ registry has the condition.
constexpr const char* kHave[] = {"IPV6",           "TLS",        "OPENSSL",      "LOOKUP_LSEARCH",
                                 "LOOKUP_DSEARCH", "LOOKUP_CDB", "LOOKUP_SQLITE"};

std::vector<std::string> feature_names() {
  std::vector<std::string> v(std::begin(kHave), std::end(kHave));
  auto conds = lang::condition_names();
  if (std::find(conds.begin(), conds.end(), "crypteq") != conds.end()) v.push_back("CRYPTEQ");
  return v;
}

}  // namespace

std::vector<Macro> builtin_macros() {
  std::vector<Macro> v;
  auto add = [&](std::string name) { v.push_back({std::move(name), "y", true, false}); };
  for (const std::string& h : feature_names()) add("_HAVE_" + h);
  for (DriverKind k : {DriverKind::Router, DriverKind::Transport, DriverKind::Authenticator}) {
    for (std::string_view d : known_drivers(k))
      add("_DRIVER_" + util::to_upper(driver_kind_name(k)) + "_" + util::to_upper(d));
  }
  for (const MainOption& o : main_options()) add("_OPT_MAIN_" + util::to_upper(o.name));
  return v;
}

MacroTable::MacroTable() : macros_(builtin_macros()) {}

const Macro* MacroTable::find(std::string_view name) const {
  for (const Macro& m : macros_)
    if (m.name == name) return &m;
  return nullptr;
}

void MacroTable::define_cmdline(const std::string& name, const std::string& value) {
  for (Macro& m : macros_) {
    if (m.name == name) {
      m.value = value;
      m.cmdline = true;
      return;
    }
  }
  macros_.push_back({name, value, false, true});
}

std::string MacroTable::define(const std::string& name, const std::string& value, bool redefine) {
  for (Macro& m : macros_) {
    if (m.name != name) continue;
    if (m.cmdline) return {};  // -D wins over every definition in the file
    if (!redefine) {
      return "macro \"" + name + "\" is already defined (use \"==\" if you want to redefine it)";
    }
    m.value = value;
    return {};
  }
  if (redefine) return "can't redefine an undefined macro \"" + name + "\"";
  for (const Macro& m : macros_) {
    if (name.find(m.name) != std::string::npos) {
      return "\"" + name + "\" cannot be defined as a macro because previously defined macro \"" +
             m.name + "\" is a substring";
    }
  }
  macros_.push_back({name, value, false, false});
  return {};
}

bool MacroTable::substitute(std::string& line, bool logical_start) const {
  return substitute_line(line, logical_start, macros_);
}

bool substitute_line(std::string& line, bool logical_start, const std::vector<Macro>& macros) {
  size_t start = 0;
  while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
  if (logical_start && start < line.size() && is_upper(line[start])) {
    size_t i = start;
    while (i < line.size() && is_name_char(line[i])) ++i;
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i < line.size() && line[i] == '=') start = i;  // a definition: keep its name
  }
  size_t pos = next_candidate(line, start);
  if (pos == std::string::npos) return false;
  const bool builtins = line[pos] == '_';
  bool found = false;
  for (const Macro& m : macros) {
    if (m.builtin && !builtins) continue;
    pos = next_candidate(line, pos);
    if (pos == std::string::npos) break;
    for (size_t p = line.find(m.name, pos); p != std::string::npos;
         p = line.find(m.name, p + m.value.size())) {
      line.replace(p, m.name.size(), m.value);
      found = true;
    }
  }
  return found;
}

}  // namespace engine::config

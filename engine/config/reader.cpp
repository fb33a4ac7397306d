// engine/config/reader.cpp — PROVISIONAL minimal reader (macros, main settings, named lists,
// ACL blocks, driver instances). To be replaced by the full reader.
#include <cctype>
#include <fstream>
#include <sstream>

#include "engine/config/config.h"

namespace engine::config {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

const Setting* Config::find_main(std::string_view name) const {
  for (auto it = main.rbegin(); it != main.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}
const ListDef* Config::find_list(std::string_view name) const {
  for (const auto& l : lists)
    if (l.name == name) return &l;
  return nullptr;
}
const AclBlock* Config::find_acl(std::string_view name) const {
  for (const auto& a : acls)
    if (a.name == name) return &a;
  return nullptr;
}

std::string substitute_macros(std::string_view line, const std::vector<Macro>& macros) {
  std::string s(line);
  for (auto it = macros.rbegin(); it != macros.rend(); ++it) {
    size_t p = 0;
    while ((p = s.find(it->name, p)) != std::string::npos) {
      s.replace(p, it->name.size(), it->value);
      p += it->value.size();
    }
  }
  return s;
}

util::Result<Config> read_string(std::string_view text, const std::string& name,
                                 const ReadOptions& opts) {
  Config c;
  c.path = name;
  c.macros = opts.cmdline_macros;
  std::istringstream in{std::string(text)};
  std::string raw;
  int lineno = 0;
  std::string section = "main";
  while (std::getline(in, raw)) {
    ++lineno;
    std::string l = trim(raw);
    if (l.empty() || l[0] == '#') continue;
    util::SourceLoc loc{name, lineno, 0};
    if (section == "main" && std::isupper(static_cast<unsigned char>(l[0]))) {
      size_t eq = l.find('=');
      if (eq != std::string::npos) {
        c.macros.push_back({trim(l.substr(0, eq)), trim(l.substr(eq + 1))});
        continue;
      }
    }
    l = substitute_macros(l, c.macros);
    if (l.rfind("begin ", 0) == 0) {
      section = trim(l.substr(6));
      continue;
    }
    if (section == "main") {
      static const std::pair<const char*, lang::ListKind> kinds[] = {
          {"domainlist", lang::ListKind::Domain}, {"hostlist", lang::ListKind::Host},
          {"addresslist", lang::ListKind::Address}, {"localpartlist", lang::ListKind::LocalPart}};
      bool done = false;
      for (auto& [kw, kind] : kinds) {
        std::string k = std::string(kw) + " ";
        if (l.rfind(k, 0) == 0) {
          std::string rest = l.substr(k.size());
          size_t eq = rest.find('=');
          c.lists.push_back({kind, trim(rest.substr(0, eq)), trim(rest.substr(eq + 1)), loc});
          done = true;
        }
      }
      if (done) continue;
      size_t eq = l.find('=');
      if (eq == std::string::npos) {
        c.main.push_back({l, "true", loc, false});
      } else {
        c.main.push_back({trim(l.substr(0, eq)), trim(l.substr(eq + 1)), loc, false});
      }
      continue;
    }
    if (section == "acl") {
      if (l.back() == ':' && l.find(' ') == std::string::npos) {
        c.acls.push_back({l.substr(0, l.size() - 1), loc, {}});
      } else if (!c.acls.empty()) {
        c.acls.back().lines.push_back({l, loc});
      }
      continue;
    }
  }
  return c;
}

util::Result<Config> read_file(const std::string& path, const ReadOptions& opts) {
  std::ifstream f(path);
  if (!f) return util::Error{"failed to open configuration file " + path, {}};
  std::stringstream ss;
  ss << f.rdbuf();
  return read_string(ss.str(), path, opts);
}

}  // namespace engine::config

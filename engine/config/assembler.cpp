// engine/config/assembler.cpp — assemble(): which files are read, in which order, and the
// settings that steer it. The text itself is written by assembler_output.cpp.
#include "engine/config/assembler.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "engine/config/source.h"
#include "util/strings.h"

namespace engine::config {
namespace {

// conf.d folder and the section its fragments belong to, in Debian's order.
constexpr std::pair<std::string_view, std::string_view> kSections[] = {{"main", ""},
                                                                       {"acl", "acl"},
                                                                       {"router", "routers"},
                                                                       {"transport", "transports"},
                                                                       {"retry", "retry"},
                                                                       {"rewrite", "rewrite"},
                                                                       {"auth", "authenticators"}};

bool valid_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), valid_name_char);
}

std::string join(const std::string& dir, std::string_view name) {
  if (dir.empty() || dir == ".") return std::string(name);
  return dir.back() == '/' ? dir + std::string(name) : dir + "/" + std::string(name);
}

// Why a file whose name is not [A-Za-z0-9_-]+ is skipped.
std::string skip_reason(std::string_view name) {
  if (name.ends_with('~')) return "an editor backup (name ending in '~')";
  if (name.size() > 1 && name.front() == '#' && name.back() == '#')
    return "an editor auto-save file (#...#)";
  if (name.find(".dpkg-") != std::string_view::npos) return "a file left by dpkg (.dpkg-*)";
  if (name.find(".ucf-") != std::string_view::npos) return "a file left by ucf (.ucf-*)";
  std::string fixed(name);
  std::replace_if(
      fixed.begin(), fixed.end(), [](char c) { return !valid_name_char(c); }, '_');
  return "only names made of letters, digits, '_' and '-' are read (rename it to " + fixed +
         " to have it read)";
}

bool has_entry(const std::vector<DirEntry>& entries, std::string_view name, DirEntry::Kind kind) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const DirEntry& e) { return e.name == name && e.kind == kind; });
}

std::vector<DirEntry> list_dir(const std::string& dir, std::string& err) {
  std::vector<DirEntry> out;
  DIR* d = opendir(dir.c_str());
  if (!d) {
    err = util::errno_text(errno);
    return out;
  }
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    DirEntry::Kind kind = DirEntry::Kind::Other;
    if (stat(join(dir, name).c_str(), &st) == 0) {  // follows symbolic links, as test -f does
      if (S_ISREG(st.st_mode)) kind = DirEntry::Kind::Regular;
      if (S_ISDIR(st.st_mode)) kind = DirEntry::Kind::Directory;
    }
    out.push_back({std::move(name), kind});
  }
  closedir(d);
  return out;
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

util::Result<std::string> read_text(const std::string& path, const std::string& what) {
  std::string data, err;
  if (!read_whole_file(path, data, err))
    return util::Error{"cannot read " + what + " " + path + ": " + err, {}};
  return data;
}

// The first of CONFDIR/<facteur name> and CONFDIR/<Debian name> that exists ("" if neither).
std::string pick(const std::string& confdir, std::string_view ours, std::string_view debians) {
  for (std::string_view name : {ours, debians}) {
    std::string p = join(confdir, name);
    if (exists(p)) return p;
  }
  return {};
}

util::Result<std::vector<Section>> split_sections(const std::string& confdir, Diagnostics& diag) {
  std::string confd = join(confdir, "conf.d");
  struct stat st {};
  if (stat(confd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return util::Error{"no " + confd + " folder (dc_use_split_config is true)", {}};
  diag.notes.push_back("using the split configuration in " + confd);
  std::vector<Section> out;
  for (const auto& [folder, begin] : kSections) {
    std::string dir = join(confd, folder);
    std::string err;
    std::vector<DirEntry> entries = list_dir(dir, err);
    if (!err.empty()) {
      diag.notes.push_back("no section folder " + dir + " (" + err + ")");
      continue;
    }
    Section s{std::string(begin), {}};
    for (const std::string& name : select_fragments(std::move(entries), dir, diag)) {
      std::string path = join(dir, name);
      auto text = read_text(path, "fragment");
      if (!text) return text.error();
      s.fragments.push_back({path, std::move(*text)});
    }
    out.push_back(std::move(s));
  }
  return out;
}

util::Result<std::vector<Section>> template_sections(const std::string& confdir,
                                                     Diagnostics& diag) {
  std::string tmpl = pick(confdir, "facteur.conf.template", "exim4.conf.template");
  if (tmpl.empty())
    return util::Error{"dc_use_split_config is false and there is no " +
                           join(confdir, "facteur.conf.template") + " (nor " +
                           join(confdir, "exim4.conf.template") + ")",
                       {}};
  diag.notes.push_back("using the non-split configuration " + tmpl);
  Section s;
  std::string macros = pick(confdir, "facteur.conf.localmacros", "exim4.conf.localmacros");
  for (const std::string& path : {macros, tmpl}) {
    if (path.empty()) continue;
    auto text = read_text(path, "file");
    if (!text) return text.error();
    s.fragments.push_back({path, std::move(*text)});
  }
  return std::vector<Section>{std::move(s)};
}

// CFILEMODE, from the environment or the settings (octal); 0644 by default.
int file_mode(const SplitSettings& s, Diagnostics& diag) {
  const char* env = std::getenv("CFILEMODE");
  std::string v = s.find("CFILEMODE") ? s.get("CFILEMODE") : env ? env : "";
  if (v.empty()) return 0644;
  char* end = nullptr;
  long mode = std::strtol(v.c_str(), &end, 8);
  if (*end != '\0' || mode < 0 || mode > 07777) {
    diag.warnings.push_back("CFILEMODE \"" + v + "\" is not an octal file mode; using 644");
    return 0644;
  }
  return static_cast<int>(mode);
}

}  // namespace

std::vector<std::string> select_fragments(std::vector<DirEntry> entries, const std::string& dir,
                                          Diagnostics& diag) {
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  std::vector<std::string> out;
  const auto regular = DirEntry::Kind::Regular;
  for (const DirEntry& e : entries) {
    std::string path = join(dir, e.name);
    if (e.name[0] == '.') {
      diag.notes.push_back("ignoring hidden file " + path);
    } else if (valid_name(e.name) && e.kind == regular) {
      bool rul = has_entry(entries, e.name + ".rul", regular);
      if (rul) diag.notes.push_back("reading " + path + ".rul instead of " + path);
      out.push_back(rul ? e.name + ".rul" : e.name);
    } else if (e.kind == DirEntry::Kind::Directory) {
      diag.warnings.push_back("ignoring " + path +
                              ": a folder (fragments are files directly in the section folder)");
    } else if (e.kind != regular) {
      diag.warnings.push_back("ignoring " + path + ": not a regular file (or a broken link)");
    } else if (e.name.ends_with(".rul") && valid_name(e.name.substr(0, e.name.size() - 4))) {
      if (!has_entry(entries, e.name.substr(0, e.name.size() - 4), regular)) {
        diag.warnings.push_back("ignoring " + path +
                                ": a .rul file only replaces a fragment of "
                                "the same name, and there is no " +
                                e.name.substr(0, e.name.size() - 4));
      }
    } else {
      diag.warnings.push_back("ignoring " + path + ": " + skip_reason(e.name));
    }
  }
  return out;
}

util::Result<Assembly> assemble(const AssembleOptions& opts) {
  Assembly a;
  a.settings_path = pick(opts.confdir, "update-facteur.conf.conf", "update-exim4.conf.conf");
  if (a.settings_path.empty())
    return util::Error{"no " + join(opts.confdir, "update-facteur.conf.conf") + " (nor " +
                           join(opts.confdir, "update-exim4.conf.conf") + ")",
                       {}};
  auto text = read_text(a.settings_path, "settings file");
  if (!text) return text.error();
  SplitSettings settings = parse_split_settings(*text, a.settings_path, a.diag);
  a.file_mode = file_mode(settings, a.diag);
  std::string split = util::to_lower(util::trim(settings.get("dc_use_split_config", "true")));
  if (split != "true" && split != "false")
    return util::Error{"invalid value for dc_use_split_config: \"" + split + "\"",
                       {a.settings_path, settings.find("dc_use_split_config")->line, 0}};
  Layout layout;
  auto sections = split == "true" ? split_sections(opts.confdir, a.diag)
                                  : template_sections(opts.confdir, a.diag);
  if (!sections) return sections.error();
  layout.sections = std::move(*sections);
  std::string keep = util::to_lower(settings.get("ue4c_keepcomments"));
  layout.keep_comments = opts.keep_comments.value_or(keep == "true" || keep == "yes");
  MacroInputs in{opts.version, opts.mailname_file, {}, opts.fqdn};
  if (auto mn = read_text(opts.mailname_file, "file")) in.mailname_text = std::move(*mn);
  layout.macros = split_macros(settings, in, a.diag);
  layout.macros_from = a.settings_path;
  layout.header = {
      "#########",
      "# This file was generated by " + opts.program + " from " +
          (split == "true" ? join(opts.confdir, "conf.d/") : opts.confdir + " (non-split)") +
          " and " + a.settings_path + ".",
      "# Any change made here will be lost: edit those files and run " + opts.program + " again.",
      "# Errors name the fragment and its line (the #line markers below).", "#########"};
  a.text = write_config(layout);
  return a;
}

}  // namespace engine::config

// engine/config/assembler.h — the split-configuration assembler behind facteur-update-conf,
// with the behaviour of Debian's update-exim4.conf(8).
//
// assemble() reads CONFDIR/update-facteur.conf.conf (or CONFDIR/update-exim4.conf.conf, so a
// Debian tree works as it is; split_settings.h) and, when dc_use_split_config is true (the
// default here; Debian's default is false), the fragments of CONFDIR/conf.d/ in the sections
// main, acl, router, transport, retry, rewrite, auth, each folder's files in C-locale order.
// Otherwise it reads CONFDIR/facteur.conf.localmacros and CONFDIR/facteur.conf.template (or
// their exim4.conf.* names). It writes one runtime configuration:
//   - a header saying where it came from;
//   - the macros generated from the settings (split_macros.h), each as
//     ".ifndef NAME / NAME=value / .endif" so an earlier definition wins: right after a line
//     starting "UPEX4CmacrosUPEX4C" (Debian's placeholder) if a fragment has one, else at the top;
//   - a "begin routers" (acl, transports, retry, rewrite, authenticators) line before each
//     section's first fragment, unless a fragment of that section has its own begin line (as
//     Debian's 00_exim4-config_header fragments do);
//   - the fragments, with comment lines removed and runs of blank lines squeezed unless comments
//     are kept (--keepcomments, or ue4c_keepcomments=true), each followed by a blank line;
//   - line markers (`#line N "FILE"`, source.h) so that the engine names the fragment and its
//     line (or the settings file's line, for a generated macro) in every error.
// Fragment names: only [A-Za-z0-9_-]; NAME.rul is read instead of NAME when both exist. Every
// other file is skipped with a warning naming it and saying why (editor backups "~" and "#*#",
// dpkg and ucf leftovers, a name with a dot such as 10_local.conf, which Debian's tool skips
// silently); hidden files are skipped with a note (--verbose).
//
// Errors (util::Error): no settings file, no conf.d (split), a missing template (not split),
// an invalid dc_use_split_config, an unreadable fragment or folder.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/split_macros.h"
#include "engine/config/split_settings.h"
#include "util/result.h"

namespace engine::config {

struct AssembleOptions {
  std::string confdir = ".";
  std::optional<bool> keep_comments;  // unset: ue4c_keepcomments, else false
  std::string mailname_file = "/etc/mailname";
  std::string version;                          // MAIN_PACKAGE_VERSION
  std::function<std::string()> fqdn;            // for dc_minimaldns
  std::string program = "facteur-update-conf";  // named in the header
};

struct Assembly {
  std::string text;           // the runtime configuration
  std::string settings_path;  // the settings file read
  int file_mode = 0644;       // CFILEMODE
  Diagnostics diag;
};

util::Result<Assembly> assemble(const AssembleOptions& opts);

// ----- the pieces, separately testable -----

// One entry of a conf.d section folder.
struct DirEntry {
  enum class Kind { Regular, Directory, Other };
  std::string name;
  Kind kind = Kind::Regular;
};

// The file names to read from one section folder (NAME or NAME.rul), in C-locale order of
// NAME; warnings and notes for the rest name `dir`/file.
std::vector<std::string> select_fragments(std::vector<DirEntry> entries, const std::string& dir,
                                          Diagnostics& diag);

struct Fragment {
  std::string path;  // as errors name it
  std::string text;
};

struct Section {
  std::string begin;  // "routers" ...; "" for main (or a template, which has its own)
  std::vector<Fragment> fragments;
};

struct Layout {
  std::vector<std::string> header;  // comment lines
  std::vector<Section> sections;
  std::vector<GeneratedMacro> macros;
  std::string macros_from;  // for the comment above them
  bool keep_comments = false;
};

// The runtime configuration text for `layout`, with its line markers.
std::string write_config(const Layout& layout);

}  // namespace engine::config

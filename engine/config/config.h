// engine/config/config.h — the parsed runtime configuration (Exim's syntax, spec chapter 6,
// "The Exim runtime configuration file").
//
// config::read_file() reads a file (with .include, macros, .ifdef ...) into a Config: the main
// section's settings, named lists, ACL blocks, and the driver instances of the other sections,
// every item with the file:line it came from. Main options are checked against the typed table
// (engine/config/main_options.h); every string-expanded value (expanded main options, all
// driver options, named lists) is compiled with lang::Program::compile, so an expansion syntax
// error anywhere is reported at read time with file, line and column.
//
// Errors: the first problem found stops the reading; util::Error carries Exim's message text
// and the location; format_error() renders it as "FILE:LINE[:COL]: message".
// The pieces: source.h (physical lines, includes, conditionals), macros.h, values.h (typed
// values), main_options.h (the option table), drivers.h (driver names), reader.cpp.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "lang/expand.h"
#include "util/result.h"

namespace engine::config {

struct Macro {
  std::string name;
  std::string value;
  bool builtin = false;  // _HAVE_*, _DRIVER_*, _OPT_* ...
  bool cmdline = false;  // -D: definitions in the file are ignored
};

struct Setting {
  std::string name;   // option name without "no_"/"not_"
  std::string value;  // as written after '=' (or "true"/"false" for a bare boolean)
  util::SourceLoc loc;
  bool hidden = false;  // "hide name = value"
  bool bare = false;    // written without "= value" (a boolean switch, maybe "no_name")
  // The compiled expansion, for string-expanded options (null otherwise).
  std::shared_ptr<const lang::Program> program;
};

struct ListDef {
  lang::ListKind kind;
  std::string name;
  std::string value;
  util::SourceLoc loc;
  bool hidden = false;
  std::shared_ptr<const lang::Program> program;
};

// "domainlist", "hostlist", "addresslist", "localpartlist".
std::string_view list_kind_name(lang::ListKind k);

struct Line {
  std::string text;  // one logical line (continuations joined, macros substituted)
  util::SourceLoc loc;
  int last_line = 0;  // the physical line it ends on (0: loc.line), as Exim counts lines
};

// An ACL: its name and its logical lines (verbs and their conditions/modifiers).
struct AclBlock {
  std::string name;
  util::SourceLoc loc;
  std::vector<Line> lines;
};

// A router, transport or authenticator instance: "name:" followed by options.
struct Instance {
  std::string name;
  std::string driver;
  util::SourceLoc loc;
  std::vector<Setting> options;
};

struct Config {
  std::string path;
  std::vector<Macro> macros;  // in definition order (command-line ones first)
  std::vector<Setting> main;
  std::vector<ListDef> lists;
  std::vector<AclBlock> acls;
  std::vector<Instance> routers, transports, authenticators;
  std::vector<Line> retry, rewrite;
  // Every logical line read, as parsed (includes resolved, comments removed) for -bP config;
  // a line "begin NAME" marks each section.
  std::vector<Line> lines;

  const Setting* find_main(std::string_view name) const;
  const ListDef* find_list(std::string_view name) const;
  const AclBlock* find_acl(std::string_view name) const;
  const Macro* find_macro(std::string_view name) const;
};

struct ReadOptions {
  std::vector<Macro> cmdline_macros;  // -DNAME=value
};

// "FILE:LINE[:COL]: message", or just the message when there is no location.
std::string format_error(const util::Error& e);

util::Result<Config> read_file(const std::string& path, const ReadOptions& opts = {});
util::Result<Config> read_string(std::string_view text, const std::string& name,
                                 const ReadOptions& opts = {});

// Replaces macro names in `line` as Exim does for configuration lines (macros.h), as used for
// -be input. `macros` in definition order; built-in ones are used only when the first
// candidate in the line is an underscore.
std::string substitute_macros(std::string_view line, const std::vector<Macro>& macros);

}  // namespace engine::config

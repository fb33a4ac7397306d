// engine/config/config.h — the parsed runtime configuration (Exim's syntax, spec chapter 6,
// "The Exim runtime configuration file").
//
// config::read_file() reads a file (with .include, macros, .ifdef ...) into a Config: the main
// section's settings, named lists, ACL blocks, and the driver instances of the other sections,
// every item with the file:line it came from. Errors name file and line, Exim-style.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/context.h"
#include "util/result.h"

namespace engine::config {

struct Macro {
  std::string name;
  std::string value;
};

struct Setting {
  std::string name;   // option name without "no_"/"not_"
  std::string value;  // as written after '=' (or "true"/"false" for a bare boolean)
  util::SourceLoc loc;
  bool hidden = false;  // "hide name = value"
};

struct ListDef {
  lang::ListKind kind;
  std::string name;
  std::string value;
  util::SourceLoc loc;
};

struct Line {
  std::string text;  // one logical line (continuations joined, macros substituted)
  util::SourceLoc loc;
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

  const Setting* find_main(std::string_view name) const;
  const ListDef* find_list(std::string_view name) const;
  const AclBlock* find_acl(std::string_view name) const;
};

struct ReadOptions {
  std::vector<Macro> cmdline_macros;  // -DNAME=value
};

util::Result<Config> read_file(const std::string& path, const ReadOptions& opts = {});
util::Result<Config> read_string(std::string_view text, const std::string& name,
                                 const ReadOptions& opts = {});

// Replaces macro names in `line` (anywhere they occur, longest definitions as Exim orders
// them), as done for configuration lines and for -be input.
std::string substitute_macros(std::string_view line, const std::vector<Macro>& macros);

}  // namespace engine::config

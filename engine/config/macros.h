// engine/config/macros.h — configuration macros (spec chapter 6, sections 6.4-6.9).
//
// A MacroTable holds the built-in macros (_HAVE_*, _DRIVER_*, _OPT_MAIN_* ...), the -D ones
// and those defined in the file, in definition order, and substitutes them into lines as Exim
// does: each macro in turn, in definition order, replaced wherever its name occurs after the
// first upper-case letter (or "_" + upper-case letter) of the line; the text substituted for a
// macro is not rescanned for that macro but is for later ones. Built-in macros are only tried
// when that first candidate is an underscore.
// define() enforces Exim's rules and returns its error texts; it never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/config/config.h"

namespace engine::config {

class MacroTable {
 public:
  MacroTable();  // with the built-in macros
  // Command-line (-D) macros: their later definitions in the file are silently ignored.
  void define_cmdline(const std::string& name, const std::string& value);
  // A definition from the file; `redefine` for "==". Returns "" or an error text.
  std::string define(const std::string& name, const std::string& value, bool redefine);
  // Substitutes macros in one physical line. `logical_start`: the line starts a logical line,
  // so a leading "Name =" (a definition) is left alone. Returns true if anything was replaced.
  bool substitute(std::string& line, bool logical_start) const;
  const Macro* find(std::string_view name) const;
  const std::vector<Macro>& all() const { return macros_; }

 private:
  std::vector<Macro> macros_;
};

// The substitution itself, over any macro list in definition order.
bool substitute_line(std::string& line, bool logical_start, const std::vector<Macro>& macros);

// The built-in macros of this build, each with value "y" (or its documented value).
std::vector<Macro> builtin_macros();

}  // namespace engine::config

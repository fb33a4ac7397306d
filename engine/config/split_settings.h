// engine/config/split_settings.h — update-facteur.conf.conf (Debian's update-exim4.conf.conf):
// the settings file of the split-configuration assembler.
//
// The file is a shell fragment that Debian's tool sources: NAME=VALUE assignments, '#'
// comments, values in '...' or "..." quotes or bare with backslash escapes, several
// assignments on a line separated by ';', an optional leading "export". It is read here, not
// run: `$` expansions and command substitutions are kept as written (with a warning), and a
// line that is not an assignment is ignored with a warning naming the file and line. A later
// assignment of a name replaces an earlier one, as in the shell.
//
// Nothing here fails: every problem is a warning in Diagnostics (shown by the assembler's
// command), so one bad line never stops the configuration from being generated.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace engine::config {

// What the assembler tells the administrator besides its output: warnings are always shown;
// notes only with --verbose (what was skipped and why, which choices were made).
struct Diagnostics {
  std::vector<std::string> warnings;
  std::vector<std::string> notes;
};

struct SplitSetting {
  std::string name;
  std::string value;  // quotes removed, escapes resolved
  int line = 0;       // where the assignment starts
};

struct SplitSettings {
  std::string path;                 // as errors and line markers name it
  std::vector<SplitSetting> items;  // each name once, at its last assignment

  const SplitSetting* find(std::string_view name) const;
  // The value, or `fallback` when the name is not assigned.
  std::string get(std::string_view name, std::string_view fallback = {}) const;
};

SplitSettings parse_split_settings(std::string_view text, const std::string& path,
                                   Diagnostics& diag);

}  // namespace engine::config

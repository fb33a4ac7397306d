// util/source_loc.h — a position in a configuration file or an expansion string.
#pragma once

#include <string>

namespace util {

struct SourceLoc {
  std::string file;  // empty when the input is not a file (an -be argument, say)
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  bool empty() const { return file.empty() && line == 0; }
  // "file:line:col", "file:line" or "" as much as is known.
  std::string str() const {
    if (file.empty() && line == 0) return {};
    std::string s = file;
    if (line > 0) s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
    return s;
  }
};

}  // namespace util

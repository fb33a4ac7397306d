#include "engine/debug_trace.h"

#include <string>

#include "util/debug.h"

namespace engine {

void ExpandTrace::trace(int depth, std::string_view what, std::string_view text) {
  std::string line = "\xe2\x94\x9c";  // "├", as Exim 4.96 draws its expansion tree
  for (int i = 0; i < depth && i < 30; ++i) line += "\xe2\x94\x80\xe2\x94\x80";  // "──"
  line += what;
  line += ": ";
  line.append(text);
  util::debug::print(0, line);
}

}  // namespace engine

#include "engine/be_mode.h"

#include <unistd.h>

#include <cctype>

#include "lang/expand.h"

namespace engine {
namespace {

constexpr size_t kArgLimit = 256;   // Exim refuses longer -be arguments
constexpr size_t kLineChunk = 1023;  // stdin lines are read in chunks of this size

// A line starting with an upper-case letter defines a macro ("NAME = value"); returns true
// when the line was taken as a definition attempt.
bool try_macro_definition(config::Config& cfg, const std::string& line, std::FILE* out) {
  if (line.empty() || !std::isupper(static_cast<unsigned char>(line[0]))) return false;
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  std::string name = line.substr(0, i);
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  if (i >= line.size() || line[i] != '=') {
    std::fprintf(stderr, "facteur: malformed macro definition: %s\n", line.c_str());
    return true;
  }
  ++i;
  while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  cfg.macros.push_back({name, line.substr(i)});
  std::fprintf(out, "Defined macro '%s'\n", name.c_str());
  return true;
}

void expand_and_print(config::Config& cfg, lang::EvalContext& ctx, const std::string& text,
                      std::FILE* out) {
  std::string input = config::substitute_macros(text, cfg.macros);
  std::string result;
  lang::Status st = lang::expand_string(input, ctx, result);
  if (st.is_ok()) {
    std::fwrite(result.data(), 1, result.size(), out);
    std::fputc('\n', out);
  } else {
    std::fprintf(out, "Failed: %s\n", st.message().c_str());
  }
}

// Reads one logical line: chunks of at most 1023 bytes, trailing white space removed, a
// trailing backslash joins the next line (whose leading white space is dropped).
bool read_logical_line(std::FILE* in, std::string& line) {
  line.clear();
  bool any = false;
  char buf[kLineChunk + 1];
  while (std::fgets(buf, sizeof buf, in)) {
    any = true;
    std::string part(buf);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
    if (!line.empty()) {
      size_t b = 0;
      while (b < part.size() && std::isspace(static_cast<unsigned char>(part[b]))) ++b;
      part.erase(0, b);
    }
    line += part;
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      continue;
    }
    return true;
  }
  return any;
}

}  // namespace

int run_expansion_test(config::Config& cfg, lang::EvalContext& ctx,
                       const std::vector<std::string>& args, std::FILE* in, std::FILE* out) {
  if (!args.empty()) {
    for (const auto& a : args) {
      if (a.size() > kArgLimit) {
        std::fprintf(stderr, "facteur: length limit exceeded (%zu > %zu) for: recipient\n", a.size(),
                     kArgLimit);
        return 1;
      }
    }
    for (const auto& a : args) {
      if (try_macro_definition(cfg, a, out)) continue;
      expand_and_print(cfg, ctx, a, out);
    }
    return 0;
  }
  // Prompts are flushed only for a person at a terminal; piped input is answered in bulk.
  const bool interactive = isatty(fileno(in)) != 0;
  std::string line;
  while (true) {
    std::fputs("> ", out);
    if (interactive) std::fflush(out);
    if (!read_logical_line(in, line)) break;
    if (try_macro_definition(cfg, line, out)) continue;
    expand_and_print(cfg, ctx, line, out);
  }
  std::fputc('\n', out);
  return 0;
}

}  // namespace engine

#include "engine/be_mode.h"

#include <unistd.h>

#include <bitset>
#include <cctype>
#include <cstring>

#include "lang/expand.h"
#include "lang/lookup_cache.h"

namespace engine {
namespace {

constexpr size_t kArgLimit = 256;                   // Exim refuses longer -be arguments
constexpr size_t kLineChunk = 1023;                 // stdin lines are read in chunks of this size
constexpr int64_t kFileCheckInterval = 1000000000;  // ns

// A line starting with an upper-case letter defines a macro ("NAME = value"); returns true
// when the line was taken as a definition attempt.
bool try_macro_definition(config::Config& cfg, const std::string& line, std::FILE* out) {
  if (line.empty() || !std::isupper(static_cast<unsigned char>(line[0]))) return false;
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_'))
    ++i;
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

// A necessary condition for macro substitution, checked before trying every macro in turn
// (config::substitute_macros): some macro name's first two bytes occur in the line. Most
// lines contain none and are expanded as they are. Names start with few distinct bytes
// ('_' for the builtin ones), which memchr() finds quickly.
class MacroFilter {
 public:
  bool may_substitute(const std::vector<config::Macro>& macros, std::string_view line) {
    if (macros.size() != built_for_) build(macros);
    if (any_) return true;
    if (firsts_.size() > kMaxScanned) return scan_all(line);
    for (char f : firsts_) {
      const char* end = line.data() + line.size();
      for (const char* p = line.data();
           (p = static_cast<const char*>(std::memchr(p, f, static_cast<size_t>(end - p)))); ++p) {
        if (starts_name(line, static_cast<size_t>(p - line.data()))) return true;
      }
    }
    return false;
  }

 private:
  static constexpr size_t kMaxScanned = 4;

  bool starts_name(std::string_view line, size_t i) const {
    auto a = static_cast<unsigned char>(line[i]);
    auto b = static_cast<unsigned char>(i + 1 < line.size() ? line[i + 1] : '\0');
    return single_[a] || pairs_[a * 256u + b];
  }

  bool scan_all(std::string_view line) const {
    for (size_t i = 0; i < line.size(); ++i) {
      if (first_[static_cast<unsigned char>(line[i])] && starts_name(line, i)) return true;
    }
    return false;
  }

  void build(const std::vector<config::Macro>& macros) {
    first_.reset();
    single_.reset();
    pairs_.reset();
    firsts_.clear();
    any_ = false;
    for (const config::Macro& m : macros) {
      if (m.name.empty()) {
        any_ = true;
        continue;
      }
      auto a = static_cast<unsigned char>(m.name[0]);
      if (!first_[a]) firsts_.push_back(m.name[0]);
      first_[a] = true;
      if (m.name.size() == 1)
        single_[a] = true;
      else
        pairs_[a * 256u + static_cast<unsigned char>(m.name[1])] = true;
    }
    built_for_ = macros.size();
  }

  size_t built_for_ = static_cast<size_t>(-1);
  bool any_ = false;
  std::string firsts_;  // the distinct first bytes
  std::bitset<256> first_, single_;
  std::bitset<256 * 256> pairs_;
};

struct Session {
  config::Config& cfg;
  lang::EvalContext& ctx;
  std::FILE* out;
  MacroFilter filter;
  std::string result;  // reused from line to line

  void expand_and_print(const std::string& text) {
    lang::Status st;
    if (filter.may_substitute(cfg.macros, text)) {
      st = lang::expand_string(config::substitute_macros(text, cfg.macros), ctx, result);
    } else {
      st = lang::expand_string(text, ctx, result);
    }
    if (st.is_ok()) {
      result += '\n';
      std::fwrite(result.data(), 1, result.size(), out);
    } else {
      std::fprintf(out, "Failed: %s\n", st.message().c_str());
    }
  }
};

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Reads one logical line: chunks of at most 1023 bytes, trailing white space removed, a
// trailing backslash joins the next line (whose leading white space is dropped).
bool read_logical_line(std::FILE* in, std::string& line) {
  line.clear();
  bool any = false;
  char buf[kLineChunk + 1];
  while (std::fgets(buf, sizeof buf, in)) {
    any = true;
    size_t e = std::strlen(buf);
    while (e > 0 && is_space(buf[e - 1])) --e;
    size_t b = 0;
    if (!line.empty()) {
      while (b < e && is_space(buf[b])) ++b;
    }
    line.append(buf + b, e - b);
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
  // Lookup files are checked for changes at most once a second, not on every lookup.
  ctx.lookups().set_file_check_interval(kFileCheckInterval);
  if (!args.empty()) {
    for (const auto& a : args) {
      if (a.size() > kArgLimit) {
        std::fprintf(stderr, "facteur: length limit exceeded (%zu > %zu) for: recipient\n",
                     a.size(), kArgLimit);
        return 1;
      }
    }
    Session session{cfg, ctx, out, {}, {}};
    for (const auto& a : args) {
      if (try_macro_definition(cfg, a, out)) continue;
      session.expand_and_print(a);
    }
    return 0;
  }
  // Prompts are flushed only for a person at a terminal; piped input is answered in bulk.
  const bool interactive = isatty(fileno(in)) != 0;
  Session session{cfg, ctx, out, {}, {}};
  std::string line;
  while (true) {
    std::fputs("> ", out);
    if (interactive) std::fflush(out);
    if (!read_logical_line(in, line)) break;
    if (try_macro_definition(cfg, line, out)) continue;
    session.expand_and_print(line);
  }
  std::fputc('\n', out);
  return 0;
}

}  // namespace engine

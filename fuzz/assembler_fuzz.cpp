// fuzz/assembler_fuzz.cpp — libFuzzer target for the split-configuration assembler: the
// settings file (shell assignments) and the dc_* macros, fragment selection, the assembled
// text with its line markers, and the configuration reader on that text.
// Input: parts separated by "\n%%\n". Part 0 is update-facteur.conf.conf; part 1 is
// /etc/mailname; each further part is a fragment whose first line is its file name, put in
// the sections main, acl, router ... in turn. Nothing touches the file system (inputs
// mentioning "include" are not read back, so .include never opens a file).
// Invariant checked: every line marker the assembler writes parses back.
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DFACTEUR_FUZZ=ON
//   ninja -C build-fuzz assembler_fuzz && ./build-fuzz/assembler_fuzz -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/assembler.h"
#include "engine/config/config.h"
#include "engine/config/source.h"

namespace {

std::vector<std::string_view> split_parts(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t b = 0;;) {
    size_t e = text.find("\n%%\n", b);
    parts.push_back(text.substr(b, e == std::string_view::npos ? e : e - b));
    if (e == std::string_view::npos) return parts;
    b = e + 4;
  }
}

void check_markers(const std::string& text) {
  for (size_t b = 0; b < text.size();) {
    size_t e = text.find('\n', b);
    std::string_view line(text.data() + b, (e == std::string::npos ? text.size() : e) - b);
    engine::config::LineMarker m;
    bool is_marker =
        line.starts_with("#line ") && (line.starts_with("#line default") ||
                                       (line.size() > 6 && line[6] >= '1' && line[6] <= '9'));
    if (is_marker && !engine::config::parse_line_marker(line, m)) std::abort();
    if (e == std::string::npos) break;
    b = e + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace engine::config;
  if (size > 64 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts = split_parts(input);
  Diagnostics diag;
  SplitSettings settings = parse_split_settings(parts[0], "ue4cc", diag);
  MacroInputs in{"0.1", "/etc/mailname", parts.size() > 1 ? std::string(parts[1]) : "",
                 [] { return std::string("mx.example.org"); }};
  Layout layout;
  layout.macros = split_macros(settings, in, diag);
  layout.macros_from = "ue4cc";
  layout.keep_comments = (size & 1) != 0;
  const char* begins[] = {"", "acl", "routers", "transports", "retry", "rewrite", "authenticators"};
  for (const char* b : begins) layout.sections.push_back({b, {}});
  std::vector<DirEntry> entries;
  for (size_t i = 2; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    size_t nl = p.find('\n');
    std::string name(p.substr(0, nl));
    std::string text(nl == std::string_view::npos ? std::string_view() : p.substr(nl + 1));
    if (!name.empty()) entries.push_back({name, DirEntry::Kind::Regular});
    layout.sections[i % 7].fragments.push_back({"conf.d/" + name, std::move(text)});
  }
  (void)select_fragments(entries, "conf.d/main", diag);
  std::string out = write_config(layout);
  check_markers(out);
  if (out.find("include") != std::string::npos) return 0;
  auto cfg = read_string(out, "/nonexistent/fuzz.conf");
  if (!cfg) (void)format_error(cfg.error());
  return 0;
}

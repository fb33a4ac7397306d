// fuzz/config_fuzz.cpp — libFuzzer target for the configuration reader: arbitrary text is read
// with config::read_string (macros, conditionals, sections, typed options, expansion checks).
// Inputs mentioning ".include" are skipped so the fuzzer never reads files (a /dev/stdin
// include would block it).
//   CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DFACTEUR_FUZZ=ON
//   ninja -C build-fuzz config_fuzz && ./build-fuzz/config_fuzz -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (text.find("include") != std::string_view::npos) return 0;
  engine::config::ReadOptions opts;
  opts.cmdline_macros.push_back({"FUZZ", "1"});
  auto cfg = engine::config::read_string(text, "/nonexistent/fuzz.conf", opts);
  if (!cfg) (void)engine::config::format_error(cfg.error());
  return 0;
}

// fuzz/smtp_command_fuzz.cpp — libFuzzer target for the SMTP command-line parser: verbs,
// arguments, ESMTP parameters peeled off the end, xtext and decimal values.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/smtp/command.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  engine::smtp::Command cmd = engine::smtp::parse_command(text);
  std::string arg = cmd.arg;
  engine::smtp::Param p;
  std::string restored;
  for (int i = 0; i < 1000 && engine::smtp::take_last_param(arg, p, restored); ++i) {
    std::string decoded;
    (void)engine::smtp::xtext_decode(p.value, decoded);
    uint64_t n = 0;
    (void)engine::smtp::parse_decimal(p.value, UINT64_MAX / 2, n);
  }
  return 0;
}

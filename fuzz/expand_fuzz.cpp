// fuzz/expand_fuzz.cpp — libFuzzer target for the expansion parser and evaluator.
// Arbitrary bytes are compiled; strings that parse are evaluated with ${run}, ${readfile},
// ${readsocket}, lookups and ${env} forbidden, so the fuzzer cannot touch the system.
// T-EXP-4 and T-CI-1 of shared/notes/security-tests.md.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lang/expand.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  lang::Program p;
  if (!lang::Program::compile(text, p).is_ok()) return 0;
  lang::EvalContext ctx;
  ctx.forbid = lang::EvalContext::kForbidRun | lang::EvalContext::kForbidReadFile |
               lang::EvalContext::kForbidReadSocket | lang::EvalContext::kForbidLookup |
               lang::EvalContext::kForbidEnv;
  std::string out;
  (void)p.eval(ctx, out);
  return 0;
}

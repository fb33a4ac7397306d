// fuzz/redirect_fuzz.cpp — libFuzzer target for the redirect router's data: the redirection
// list parser (specials, quoting, pipes and files; :include: forbidden so no file is read)
// and the Exim filter parser and interpreter (run with every expansion item that reaches
// outside refused: no ${run}, ${readfile}, ${readsocket}, lookups or ${env}).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/route_vars.h"
#include "routers/exim_filter.h"
#include "routers/redirect_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  routers::RedirectListOptions o;
  o.allow_fail = o.allow_defer = size % 2 == 0;
  o.skip_syntax_errors = size % 3 == 0;
  o.forbid_include = true;
  o.incoming_domain = "in.example";
  o.qualify_domain = "q.example";
  (void)routers::parse_redirect_list(text, o);

  std::string filter = "# Exim filter\n" + std::string(text);
  routers::ParsedFilter pf = routers::parse_exim_filter(filter);
  if (!pf.program) return 0;
  engine::RouteVariables vars(nullptr);
  lang::EvalContext ctx;
  ctx.vars = &vars;
  using F = lang::EvalContext::Forbid;
  ctx.forbid =
      F::kForbidRun | F::kForbidReadFile | F::kForbidReadSocket | F::kForbidLookup | F::kForbidEnv;
  routers::FilterOptions fo;
  fo.allow_fail = fo.allow_defer = fo.allow_freeze = true;
  fo.qualify_domain = "q.example";
  fo.user_address = "me@q.example";
  (void)routers::run_exim_filter(*pf.program, ctx, vars, fo);
  return 0;
}

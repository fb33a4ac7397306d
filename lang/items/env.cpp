// lang/items/env.cpp — ${env{<name>}{<yes>}{<no>}} (spec 11.5): looks the trimmed name up in
// the process environment (which the engine has already reduced to keep_environment and
// add_environment). $value holds the value in the yes part and is restored afterwards.
#include <cstdlib>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

class EnvNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string raw;
    LANG_TRY(name.eval(ctx, raw));
    std::string key(util::trim(raw));
    const char* v = key.find('\0') == std::string::npos ? std::getenv(key.c_str()) : nullptr;
    ValueGuard guard(ctx);
    ctx.value = v ? v : "";
    ctx.value_set = v != nullptr;
    return branches.eval(ctx, v != nullptr, "env", out, ctx.value);
  }
  Template name;
  YesNo branches;
};

Status parse_env(Parser& p, std::string_view item, NodePtr& out) {
  auto n = std::make_unique<EnvNode>();
  p.skip_ws();
  if (p.peek() != '{')
    return p.error("Not enough arguments for '" + std::string(item) + "' (min is 1)");
  LANG_TRY(p.brace_arg(n->name));
  LANG_TRY(p.yes_no(n->branches));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"env", parse_env}});

}  // namespace
}  // namespace lang

// lang/conditions/auth_external.cpp — conditions that ask an external authentication
// service: pam{..}, radius{..}, pwcheck{..}, ldapauth{..} and saslauthd{{user}{pass}...}
// (spec 11.7). facteur is built without these services, so the syntax is checked as Exim
// does and evaluating one fails as an Exim built without the support does:
// `support for "radius" not compiled`. A branch that is not taken never evaluates it.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class ExternalAuthCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool&) const override {
    std::string v;
    for (const auto& a : args) LANG_TRY(a.eval(ctx, v));
    return Status::error("support for \"" + name + "\" not compiled");
  }
  std::string name;
  std::vector<Template> args;
};

Status parse_single(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<ExternalAuthCond>();
  c->name = std::string(name);
  LANG_TRY(parse_cond_args(p, name, 1, c->args));
  out = std::move(c);
  return Status::ok();
}

// saslauthd{{user}{password}{service}{realm}}: two to four strings inside one pair of braces.
Status parse_saslauthd(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<ExternalAuthCond>();
  c->name = std::string(name);
  const std::string bad = "too few arguments or bracketing error for " + std::string(name);
  p.skip_ws();
  if (!p.consume('{')) return p.error(bad);
  for (int k = 0; k < 4; ++k) {
    p.skip_ws();
    if (p.peek() != '{') break;
    c->args.emplace_back();
    LANG_TRY(p.brace_arg(c->args.back()));
  }
  p.skip_ws();
  if (c->args.size() < 2 || !p.consume('}')) return p.error(bad);
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({
    {"ldapauth", parse_single},
    {"pam", parse_single},
    {"pwcheck", parse_single},
    {"radius", parse_single},
    {"saslauthd", parse_saslauthd},
});

}  // namespace
}  // namespace lang

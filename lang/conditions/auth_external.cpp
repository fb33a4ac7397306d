// lang/conditions/auth_external.cpp — conditions that ask an external authentication
// service facteur does not carry: pam{..}, radius{..}, pwcheck{..}, ldapauth{..} (spec 11.7;
// saslauthd is in saslauthd.cpp). facteur is built without these services, so the syntax is checked
// as Exim does and evaluating one fails as an Exim built without the support does: `support for
// "radius" not compiled`. A branch that is not taken never evaluates it.
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

const ConditionRegistrar reg({
    {"ldapauth", parse_single},
    {"pam", parse_single},
    {"pwcheck", parse_single},
    {"radius", parse_single},
});

}  // namespace
}  // namespace lang

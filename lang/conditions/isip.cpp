// lang/conditions/isip.cpp — isip{<string>}, isip4{<string>}, isip6{<string>} (spec 11.7,
// "Expansion conditions"): true when the expanded string is an IPv4/IPv6 address as
// inet_pton reads it (an IPv6 address may carry a "%zone"; no mask, no white space).
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/ip.h"

namespace lang {
namespace {

class IsIpCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string s;
    LANG_TRY(args[0].eval(ctx, s));
    auto t = util::parse_ip_text(s, false);
    r = t && (version == 0 || (version == 4) == t->addr.is_v4());
    return Status::ok();
  }
  int version = 0;  // 0: either
  std::vector<Template> args;
};

Status parse_isip(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<IsIpCond>();
  c->version = name == "isip4" ? 4 : name == "isip6" ? 6 : 0;
  LANG_TRY(parse_cond_args(p, name, 1, c->args));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"isip", parse_isip}, {"isip4", parse_isip}, {"isip6", parse_isip}});

}  // namespace
}  // namespace lang

// lang/conditions/compare.cpp — string comparisons (eq, eqi, lt, lti, le, lei, gt, gti, ge,
// gei) and numeric comparisons (= == < <= > >=), spec 11.7 "Expansion conditions".
#include <cctype>
#include <strings.h>

#include "lang/context.h"
#include "lang/numbers.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

enum class Op : unsigned char { Eq, Lt, Le, Gt, Ge };

struct CompareSpec {
  std::string_view name;
  Op op;
  bool numeric;
  bool caseless;
};

constexpr CompareSpec kSpecs[] = {
    {"eq", Op::Eq, false, false},  {"eqi", Op::Eq, false, true}, {"lt", Op::Lt, false, false},
    {"lti", Op::Lt, false, true},   {"le", Op::Le, false, false}, {"lei", Op::Le, false, true},
    {"gt", Op::Gt, false, false},  {"gti", Op::Gt, false, true}, {"ge", Op::Ge, false, false},
    {"gei", Op::Ge, false, true},  {"=", Op::Eq, true, false},   {"==", Op::Eq, true, false},
    {"<", Op::Lt, true, false},    {"<=", Op::Le, true, false},  {">", Op::Gt, true, false},
    {">=", Op::Ge, true, false},
};

bool apply(Op op, int c) {
  switch (op) {
    case Op::Eq: return c == 0;
    case Op::Lt: return c < 0;
    case Op::Le: return c <= 0;
    case Op::Gt: return c > 0;
    case Op::Ge: return c >= 0;
  }
  return false;
}

class CompareCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string a, b;
    LANG_TRY(args[0].eval(ctx, a));
    LANG_TRY(args[1].eval(ctx, b));
    int c;
    if (spec->numeric) {
      long long x = 0, y = 0;
      LANG_TRY(parse_integer(a, x));
      LANG_TRY(parse_integer(b, y));
      c = x < y ? -1 : (x > y ? 1 : 0);
    } else if (spec->caseless) {
      c = strcasecmp(a.c_str(), b.c_str());
    } else {
      c = a.compare(b);
    }
    r = apply(spec->op, c);
    return Status::ok();
  }
  const CompareSpec* spec = nullptr;
  std::vector<Template> args;
};

Status parse_compare(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<CompareCond>();
  for (const auto& s : kSpecs) {
    if (s.name == name) c->spec = &s;
  }
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({
    {"eq", parse_compare},  {"eqi", parse_compare}, {"lt", parse_compare},
    {"lti", parse_compare}, {"le", parse_compare},  {"lei", parse_compare},
    {"gt", parse_compare},  {"gti", parse_compare}, {"ge", parse_compare},
    {"gei", parse_compare}, {"=", parse_compare},   {"==", parse_compare},
    {"<", parse_compare},   {"<=", parse_compare},  {">", parse_compare},
    {">=", parse_compare},
});

}  // namespace
}  // namespace lang

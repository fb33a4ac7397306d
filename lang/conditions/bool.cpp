// lang/conditions/bool.cpp — bool{<string>} and bool_lax{<string>} (spec 11.7).
// bool: after trimming white space, "" / "false" / "no" / an integer zero are false,
// "true" / "yes" / a non-zero integer true (case-insensitive); anything else is the error
// `unrecognised boolean value "<trimmed>"`. bool_lax: "", "false", "no" and "0" are false,
// everything else true (the router `condition` rule).
#include <cctype>

#include "lang/context.h"
#include "lang/expand.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

// An optional '-' then at least one digit. Sets `nonzero` when any digit is not '0'.
bool is_integer(std::string_view s, bool& nonzero) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  nonzero = false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    if (c != '0') nonzero = true;
  }
  return true;
}

Status bool_strict(std::string_view v, bool& r) {
  bool nonzero = false;
  if (v.empty() || util::iequals(v, "false") || util::iequals(v, "no")) {
    r = false;
  } else if (util::iequals(v, "true") || util::iequals(v, "yes")) {
    r = true;
  } else if (is_integer(v, nonzero)) {
    r = nonzero;
  } else {
    return Status::error("unrecognised boolean value \"" + std::string(v) + "\"");
  }
  return Status::ok();
}

class BoolCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string s;
    LANG_TRY(arg[0].eval(ctx, s));
    std::string_view v = util::trim(s);
    if (!lax) return bool_strict(v, r);
    r = !is_false_string(v);
    return Status::ok();
  }
  bool lax = false;
  std::vector<Template> arg;
};

Status parse_bool(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<BoolCond>();
  c->lax = name == "bool_lax";
  LANG_TRY(parse_cond_args(p, name, 1, c->arg));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"bool", parse_bool}, {"bool_lax", parse_bool}});

}  // namespace
}  // namespace lang

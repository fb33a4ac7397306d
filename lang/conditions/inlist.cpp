// lang/conditions/inlist.cpp — inlist{string}{list} and inlisti{string}{list} (spec 11.7).
//
// True when an item of the list equals the string exactly (inlisti: ignoring ASCII case).
// Items are plain strings: no wildcards, no named lists. The matching item goes into $value
// (visible in the yes/no part of the ${if}).
#include <strings.h>

#include "lang/context.h"
#include "lang/lists.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class InlistCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string subject, list;
    LANG_TRY(args[0].eval(ctx, subject));
    LANG_TRY(args[1].eval(ctx, list));
    ListReader reader(list);
    std::string item;
    r = false;
    while (reader.next(item)) {
      bool same = caseless ? item.size() == subject.size() &&
                                 strncasecmp(item.data(), subject.data(), item.size()) == 0
                           : item == subject;
      if (same) {
        ctx.value = item;
        ctx.value_set = true;
        r = true;
        return Status::ok();
      }
    }
    return Status::ok();
  }
  bool caseless = false;
  std::vector<Template> args;
};

Status parse_inlist(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<InlistCond>();
  c->caseless = name == "inlisti";
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"inlist", parse_inlist}, {"inlisti", parse_inlist}});

}  // namespace
}  // namespace lang

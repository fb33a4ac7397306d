// lang/conditions/match_lists.cpp — match_domain{domain}{list}, match_address{address}{list}
// and match_local_part{local part}{list} (spec 11.7; list rules in chapter 10 and
// lang/match/). The IP form, match_ip, lives with the host lists.
//
// The list argument is not expanded: Exim reads it with '$' and '{' as plain characters, so
// that data from a message cannot inject list items; named lists are still expanded when used.
// True when the subject is in the list. The value of the matching item goes into $value and
// regex or wildcard captures into $0, $1.. (both visible in the yes/no part of the ${if}).
// When the list cannot be checked (bad regex, lookup defer, unknown named list) the error is
// "unable to complete match against \"<list>\": <reason or NULL>".
#include "lang/context.h"
#include "lang/match/addresslist.h"
#include "lang/match/domainlist.h"
#include "lang/match/localpartlist.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

enum class Kind : unsigned char { Domain, Address, LocalPart };

class MatchListCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string subject;
    LANG_TRY(args[0].eval(ctx, subject));
    ListMatchResult res;
    switch (kind) {
      case Kind::Domain:
        res = match_domainlist(ctx, list, subject);
        break;
      case Kind::Address:
        res = match_addresslist(ctx, list, subject);
        break;
      case Kind::LocalPart:
        res = match_localpartlist(ctx, list, subject);
        break;
    }
    if (res.outcome == ListMatch::Defer) {
      return Status::error("unable to complete match against \"" + list +
                           "\": " + (res.error.empty() ? "NULL" : res.error));
    }
    r = res.outcome == ListMatch::Match;
    if (r) {
      ctx.value = std::move(res.value);
      ctx.value_set = true;
    }
    return Status::ok();
  }
  Kind kind = Kind::Domain;
  std::vector<Template> args;
  std::string list;  // not expanded: '$' is an ordinary character there
};

Status parse_match_list(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<MatchListCond>();
  c->kind = name == "match_domain"    ? Kind::Domain
            : name == "match_address" ? Kind::Address
                                      : Kind::LocalPart;
  LANG_TRY(parse_cond_args(p, name, 1, c->args));
  p.skip_ws();
  if (p.peek() != '{')
    return p.error("missing 2nd string in {} after \"" + std::string(name) + "\"");
  LANG_TRY(p.literal_arg(c->list));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"match_address", parse_match_list},
                              {"match_domain", parse_match_list},
                              {"match_local_part", parse_match_list}});

}  // namespace
}  // namespace lang

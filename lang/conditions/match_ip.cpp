// lang/conditions/match_ip.cpp — match_ip{<ip>}{<host list>} (spec 11.7, "Expansion
// conditions"): true when the address (or the empty string, for "no host") is in the host
// list, with the restricted semantics of lang/match/hostlist.h's IpOnly mode. When a lookup
// item decides, $value holds the data it found (in the yes/no strings).
//
// Errors: "\"x\" is not an IP address" for a bad first string;
// "unable to complete match against \"<list>\": <reason>" when the list cannot be checked
// (the reason is the lookup's message, or "NULL" as Exim prints it when it has none).
#include "lang/context.h"
#include "lang/match/hostlist.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/ip.h"

namespace lang {
namespace {

class MatchIpCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    HostInfo host;
    std::string list;
    LANG_TRY(args[0].eval(ctx, host.address));
    if (!host.address.empty() && !util::parse_ip_text(host.address, false)) {
      return Status::error("\"" + host.address + "\" is not an IP address");
    }
    LANG_TRY(args[1].eval(ctx, list));
    HostMatch m;
    Status st = match_hostlist(ctx, list, host, HostListMode::IpOnly, m);
    if (st.is_error()) {
      const std::string why = st.message().empty() ? "NULL" : st.message();
      return Status::error("unable to complete match against \"" + list + "\": " + why);
    }
    LANG_TRY(st);
    if (m.matched && m.has_data) {
      ctx.value = std::move(m.data);
      ctx.value_set = true;
    }
    r = m.matched;
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_match_ip(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<MatchIpCond>();
  LANG_TRY(parse_cond_args(p, name, 2, c->args));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"match_ip", parse_match_ip}});

}  // namespace
}  // namespace lang

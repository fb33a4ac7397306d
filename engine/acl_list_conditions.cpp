// engine/acl_list_conditions.cpp — the ACL conditions that match the envelope against a
// list (spec chapter 44, section 26): domains and local_parts (the recipient being checked,
// $domain and $local_part), senders and sender_domains ($sender_address), recipients (the
// recipient as an address). A match sets $domain_data, $local_part_data, $sender_data or
// $recipient_data to the value of the matching item (spec 10.5); a list that cannot be
// evaluated (lookup defer, bad regex, unknown named list) makes the condition defer.
#include "engine/acl.h"
#include "engine/acl_session.h"
#include "lang/match/addresslist.h"
#include "lang/match/domainlist.h"
#include "lang/match/localpartlist.h"

namespace engine::acl {
namespace {

std::string var(RunState& st, std::string_view name) {
  std::string v;
  if (st.ctx.vars) st.ctx.vars->get(name, v);
  return v;
}

Check outcome(RunState& st, const lang::ListMatchResult& r, std::string_view data_var) {
  if (r.outcome == lang::ListMatch::Defer) {
    st.defer_reason = r.error;
    return Check::Defer;
  }
  if (r.outcome == lang::ListMatch::NoMatch) return Check::False;
  if (!data_var.empty()) st.ctx.item_vars[std::string(data_var)] = r.value;
  return Check::True;
}

Check eval_domains(RunState& st, const Item&, const std::string& value) {
  return outcome(st, lang::match_domainlist(st.ctx, value, var(st, "domain")), "domain_data");
}

// The local part as the client wrote it, matched caselessly (Exim's cc_local_part), so that
// regex captures and the trace keep its case.
Check eval_local_parts(RunState& st, const Item&, const std::string& value) {
  SessionHooks* h = st.evaluator.session();
  std::string lp = h ? h->local_part_as_given() : "";
  if (lp.empty()) lp = var(st, "local_part");
  return outcome(st, lang::match_localpartlist(st.ctx, value, lp), "local_part_data");
}

Check eval_senders(RunState& st, const Item&, const std::string& value) {
  return outcome(st, lang::match_addresslist(st.ctx, value, var(st, "sender_address")),
                 "sender_data");
}

Check eval_sender_domains(RunState& st, const Item&, const std::string& value) {
  return outcome(st, lang::match_domainlist(st.ctx, value, var(st, "sender_address_domain")),
                 "sender_data");
}

Check eval_recipients(RunState& st, const Item&, const std::string& value) {
  SessionHooks* h = st.evaluator.session();
  std::string lp = h ? h->local_part_as_given() : "", d = var(st, "domain");
  if (lp.empty()) lp = var(st, "local_part");
  std::string address = d.empty() ? lp : lp + "@" + d;
  return outcome(st, lang::match_addresslist(st.ctx, value, address), "recipient_data");
}

const AclItemRegistrar reg({
    {"domains", ItemKind::Condition, true, true, nullptr, eval_domains},
    {"local_parts", ItemKind::Condition, true, true, nullptr, eval_local_parts},
    {"recipients", ItemKind::Condition, true, true, nullptr, eval_recipients},
    {"sender_domains", ItemKind::Condition, true, true, nullptr, eval_sender_domains},
    {"senders", ItemKind::Condition, true, true, nullptr, eval_senders},
});

}  // namespace
}  // namespace engine::acl

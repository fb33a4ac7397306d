// engine/acl_run.cpp — evaluating an ACL: statements in order, items in order, the verb
// deciding what a statement's outcome means (spec chapter 44, sections 18 and 20).
//
// A statement's items run until one condition is false or cannot be decided. A forced
// failure while expanding a condition's value makes that condition count as true. Message
// texts (`message`, `log_message`) are only remembered as they are met and expanded when the
// verb decides; an expansion that fails or gives "" is ignored.
#include "engine/acl.h"
#include "engine/acl_session.h"

namespace engine::acl {
namespace {

using lang::AclVerdict;

enum class Outcome : unsigned char { Ok, Fail, Defer, Error };

struct StatementResult {
  Outcome outcome = Outcome::Ok;
  bool after_endpass = false;  // the failing condition came after `endpass`
  bool discard = false;        // a nested ACL discarded
  bool drop = false;           // a nested ACL dropped
};

// Applies one item; false ends the statement with `res` set.
bool apply_item(RunState& st, const Item& item, StatementResult& res) {
  std::string value;
  const bool expand = item.def->expand && item.def->takes_value;
  AclTracer* tracer = st.evaluator.tracer();
  if (expand) {
    if (tracer) tracer->expanding(true);
    lang::Status s = item.value.eval(st.ctx, value);
    if (tracer) tracer->expanding(false);
    if (s.is_fail() && item.def->kind == ItemKind::Condition) return true;  // ignored
    if (!s.is_ok()) {
      st.defer_reason = "failed to expand ACL string \"" + item.text + "\": " + s.message();
      if (!st.evaluator.session()) st.log(st.defer_reason);  // a session logs its refusal
      res.outcome = Outcome::Error;
      return false;
    }
  }
  if (tracer) tracer->item(st.depth, item, expand ? &value : nullptr);
  Check c = item.def->eval(st, item, value);
  if (c == Check::Discard) res.discard = true, c = Check::True;
  if (c == Check::Drop) res.drop = true, c = Check::False;
  if (item.negated && (c == Check::True || c == Check::False)) {
    c = c == Check::True ? Check::False : Check::True;
  }
  switch (c) {
    case Check::True:
      return true;
    case Check::False:
      res.outcome = Outcome::Fail;
      res.after_endpass = st.endpass;
      return false;
    case Check::Defer:
      res.outcome = Outcome::Defer;
      return false;
    default:
      res.outcome = Outcome::Error;
      return false;
  }
}

StatementResult run_statement(RunState& st, const Statement& s) {
  StatementResult res;
  for (const auto& item : s.items) {
    if (!apply_item(st, item, res)) break;
  }
  return res;
}

// Expands a remembered message; false when there is none or it is unusable.
bool expand_message(RunState& st, const Item* item, std::string& out) {
  if (!item) return false;
  lang::Status s = item->value.eval(st.ctx, out);
  if (s.is_error()) st.log("failed to expand ACL message \"" + item->text + "\": " + s.message());
  return s.is_ok() && !out.empty();
}

// A statement that denies (deny, drop, defer, failed require ...) sets the message only when
// it has a usable one, otherwise a nested ACL's message stays.
void deny_message(RunState& st) {
  std::string m;
  if (expand_message(st, st.message, m)) st.user_message = std::move(m);
}

// warn's log lines name the client first, as Exim's do.
void warn_log(RunState& st, const StatementResult& r) {
  std::string m, who;
  if (SessionHooks* h = st.evaluator.session()) who = h->host_and_ident();
  if (!who.empty()) who += ' ';
  if (r.outcome == Outcome::Ok && expand_message(st, st.log_message, m)) {
    st.log(who + "Warning: " + m);
  } else if (r.outcome == Outcome::Defer) {
    st.log(who + "Warning: ACL \"warn\" statement skipped: condition test deferred" +
           (st.defer_reason.empty() ? std::string() : ": " + st.defer_reason));
  }
}

// What the statement's result means for its verb; true when the ACL ends with `v`. `how`
// says how the trace words the end.
bool decide(RunState& st, const StatementResult& r, AclVerdict& v, AclEnd& how) {
  how = AclEnd::Silent;
  if (r.outcome == Outcome::Error) return v = AclVerdict::Error, true;
  if (r.outcome == Outcome::Defer && st.verb != Verb::Warn) return v = AclVerdict::Defer, true;
  switch (st.verb) {
    case Verb::Accept:
    case Verb::Discard:
      if (r.outcome == Outcome::Ok) {
        std::string m;
        // With endpass, `message` is the text for a denial only (spec 44.18).
        bool own = !st.endpass && expand_message(st, st.message, m);
        st.user_message = own ? m : std::string();
        v = st.verb == Verb::Discard || r.discard ? AclVerdict::Discard : AclVerdict::Accept;
        how = st.verb == Verb::Discard ? AclEnd::Discard : AclEnd::Accept;
        return true;
      }
      if (!r.after_endpass) return false;
      deny_message(st);
      how = AclEnd::Endpass;
      return v = r.drop ? AclVerdict::Drop : AclVerdict::Deny, true;
    case Verb::Deny:
    case Verb::Drop:
    case Verb::Defer:
      if (r.outcome != Outcome::Ok) return false;
      deny_message(st);
      v = st.verb == Verb::Defer  ? AclVerdict::Defer
          : st.verb == Verb::Drop ? AclVerdict::Drop
                                  : AclVerdict::Deny;
      how = st.verb == Verb::Defer  ? AclEnd::Defer
            : st.verb == Verb::Drop ? AclEnd::Drop
                                    : AclEnd::Deny;
      return true;
    case Verb::Require:
      if (r.outcome == Outcome::Ok) return false;
      deny_message(st);
      how = AclEnd::NotOk;
      return v = r.drop ? AclVerdict::Drop : AclVerdict::Deny, true;
    case Verb::Warn:
      warn_log(st, r);
      return false;
  }
  return false;
}

// What the log line of a refusal says after the client's name: the statement's log_message,
// or why a condition could not be tested; "" lets the caller use the client's message.
std::string refusal_log_text(RunState& st, const StatementResult& r) {
  if (r.outcome == Outcome::Defer || r.outcome == Outcome::Error) return st.defer_reason;
  std::string m;
  return expand_message(st, st.log_message, m) ? m : st.condition_log;
}

TestResult test_result(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return TestResult::Succeeded;
    case Outcome::Fail:
      return TestResult::Failed;
    case Outcome::Defer:
      return TestResult::Deferred;
    case Outcome::Error:
      break;
  }
  return TestResult::Error;
}

}  // namespace

AclVerdict Evaluator::run_acl(const Acl& acl, std::string& message, int depth) {
  for (const auto& s : acl.statements) {
    if (tracer_) tracer_->statement_begin(depth, s);
    ctx_.item_vars.erase("acl_verify_message");  // a failed verify's text lasts one statement
    RunState st(*this, ctx_, s.verb, depth, message);
    StatementResult r = run_statement(st, s);
    if (tracer_) tracer_->statement_end(depth, s.verb, test_result(r.outcome));
    AclVerdict v;
    AclEnd how;
    if (decide(st, r, v, how)) {
      if (v != AclVerdict::Accept) log_message_ = refusal_log_text(st, r);
      if (tracer_) tracer_->acl_end(depth, how, s.verb);
      return v;
    }
  }
  if (tracer_) tracer_->acl_end(depth, AclEnd::ImplicitDeny, Verb::Deny);
  return AclVerdict::Deny;  // the implicit deny at the end of every ACL
}

}  // namespace engine::acl

// engine/acl_session_conditions.cpp — ACL conditions about the SMTP client and the session
// (spec chapter 44, section 26): hosts, authenticated, encrypted, verify, regex. (dnslists is
// in acl_dnslists.cpp.)
//
// They reach the session through SessionHooks (engine/acl_session.h); with none (an ACL run
// from ${acl} in -be) there is no remote host, nothing is authenticated or encrypted, and
// verification fails. A list or lookup that cannot be evaluated makes the condition defer.
#include "engine/acl.h"
#include "engine/acl_session.h"
#include "engine/hostlist_trace.h"
#include "lang/lists.h"
#include "lang/match/hostlist.h"
#include "lang/regex.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

SessionHooks* session_of(RunState& st) {
  return st.evaluator.session();
}

std::string client_address(RunState& st) {
  if (SessionHooks* s = session_of(st)) return s->client_address();
  std::string a;
  if (st.ctx.vars) st.ctx.vars->get("sender_host_address", a);
  return a;
}

// hosts = host list (spec 10.10).
Check eval_hosts(RunState& st, const Item&, const std::string& value) {
  lang::HostInfo host{client_address(st), "", {}, nullptr};
  if (SessionHooks* s = session_of(st)) host.names = s->host_names();
  lang::HostMatch m;
  lang::Status s = lang::match_hostlist(st.ctx, value, host, lang::HostListMode::Acl, m);
  if (!s.is_ok()) {
    st.defer_reason = m.detail.empty() ? s.message() : m.detail;
    return Check::Defer;
  }
  if (st.ctx.list_tracer) trace_hostlist(st.ctx, value, host);
  if (m.matched && m.has_data) st.ctx.item_vars["host_data"] = m.data;  // spec 10.10
  return m.matched ? Check::True : Check::False;
}

// A plain list of names (authenticator names, cipher names): '!' negates, '*' ends a
// prefix pattern; the last item negated means "match" at the end of the list.
bool match_name_list(std::string_view list, std::string_view subject,
                     std::string_view* decided = nullptr) {
  bool last_negated = false;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t e = list.find(':', pos);
    if (e == std::string_view::npos) e = list.size();
    std::string_view raw = util::trim(list.substr(pos, e - pos)), item = raw;
    pos = e + 1;
    if (item.empty()) continue;
    bool neg = false;
    while (!item.empty() && item[0] == '!') {
      neg = !neg;
      item = util::trim(item.substr(1));
    }
    last_negated = neg;
    bool hit =
        item == "*" || util::iequals(item, subject) ||
        (item.back() == '*' && util::starts_with_ci(subject, item.substr(0, item.size() - 1)));
    if (hit) {
      if (decided) *decided = raw;
      return !neg;
    }
  }
  return last_negated;
}

// The name-list match, told to the trace as Exim shows it ("plain in "*"? yes ...").
bool traced_name_match(RunState& st, std::string_view list, std::string_view subject) {
  std::string_view item;
  bool yes = match_name_list(list, subject, &item);
  if (lang::ListTracer* t = st.ctx.list_tracer) {
    lang::ListTracer::Event e;
    e.subject = subject;
    e.list = list;
    e.yes = yes;
    e.how = item.data() ? lang::ListTracer::How::Matched : lang::ListTracer::How::EndOfList;
    e.item = item;
    t->list_result(e);
  }
  return yes;
}

// authenticated = list of authenticator names (spec 44.26).
Check eval_authenticated(RunState& st, const Item&, const std::string& value) {
  SessionHooks* s = session_of(st);
  std::string by = s ? s->authenticated_by() : "";
  if (by.empty()) return Check::False;
  return traced_name_match(st, value, by) ? Check::True : Check::False;
}

// encrypted = list of cipher names; false on an unencrypted session.
Check eval_encrypted(RunState& st, const Item&, const std::string& value) {
  std::string cipher;
  if (st.ctx.vars) st.ctx.vars->get("tls_in_cipher", cipher);
  if (cipher.empty()) return Check::False;
  return traced_name_match(st, value, cipher) ? Check::True : Check::False;
}

// verify = reverse_host_lookup[/defer_ok] (spec 44.26): the failure text goes to the log only.
Check verify_reverse(RunState& st, SessionHooks& s, std::string_view options) {
  std::string log;
  VerifyOutcome r = s.verify_reverse(log);
  if (r == VerifyOutcome::Ok) return Check::True;
  st.defer_reason = log;
  if (r == VerifyOutcome::Fail) return Check::False;
  bool defer_ok = false;
  lang::ListReader opts(options, '/');
  for (std::string o; opts.next(o);) defer_ok |= util::iequals(o, "defer_ok");
  return defer_ok ? Check::True : Check::Defer;
}

// verify = what[/options]: done by the session; a failure's reason becomes the message of a
// refusal that has no `message` of its own, and $acl_verify_message; its log text (when the
// session gives one) that of a refusal without `log_message`.
Check eval_verify(RunState& st, const Item&, const std::string& value) {
  std::string_view v = util::trim(value);
  size_t slash = v.find('/');
  std::string what = util::to_lower(util::trim(v.substr(0, slash)));
  std::string_view options = slash == std::string_view::npos ? "" : v.substr(slash + 1);
  SessionHooks* s = session_of(st);
  if (!s) return Check::False;
  if (what == "reverse_host_lookup") return verify_reverse(st, *s, options);
  std::string message, log;
  VerifyOutcome r = s->verify(what, options, message, log);
  if (r == VerifyOutcome::Ok) return Check::True;
  if (!message.empty()) {
    st.user_message = message;
    st.ctx.item_vars["acl_verify_message"] = message;
  }
  st.condition_log = log;
  if (r == VerifyOutcome::Defer) {
    st.defer_reason = log.empty() ? message : log;
    return Check::Defer;
  }
  return Check::False;
}

// regex = list of patterns, matched line by line against the whole message in the DATA ACL
// (spec 45, "Scanning with regular expressions": headers and body, so no match spans lines);
// $regex_match_string receives the pattern that matched, $regex1.. its captures.
Check eval_regex(RunState& st, const Item&, const std::string& value) {
  SessionHooks* s = session_of(st);
  std::string text = s ? s->message_text() : "";
  std::vector<std::pair<std::string, std::shared_ptr<const lang::Regex>>> patterns;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t e = value.find(':', pos);
    while (e != std::string::npos && e + 1 < value.size() && value[e + 1] == ':') {
      e = value.find(':', e + 2);
    }
    if (e == std::string::npos) e = value.size();
    std::string pat = value.substr(pos, e - pos);
    pos = e + 1;
    if (util::trim(pat).empty()) continue;
    std::string unescaped;
    for (size_t i = 0; i < pat.size(); ++i) {
      unescaped += pat[i];
      if (pat[i] == ':' && i + 1 < pat.size() && pat[i + 1] == ':') ++i;
    }
    std::shared_ptr<const lang::Regex> re;
    lang::Status rs = lang::regex_cached(util::trim(unescaped), re);
    if (!rs.is_ok()) {
      st.defer_reason = rs.message();
      return Check::Defer;
    }
    patterns.emplace_back(std::string(util::trim(unescaped)), std::move(re));
  }
  std::vector<std::string> caps;
  for (std::string_view line : util::split_lines(text)) {
    if (line.size() > 32 * 1024) line = line.substr(0, 32 * 1024);  // Exim reads 32K a line
    for (const auto& [text_of, re] : patterns) {
      if (!re->search(line, 0, caps)) continue;
      st.ctx.item_vars["regex_match_string"] = text_of;  // the pattern that matched, as Exim
      for (size_t i = 1; i < caps.size() && i < 10; ++i)
        st.ctx.item_vars["regex" + std::to_string(i)] = caps[i];
      return Check::True;
    }
  }
  return Check::False;
}

const AclItemRegistrar reg({
    {"authenticated", ItemKind::Condition, true, true, nullptr, eval_authenticated},
    {"encrypted", ItemKind::Condition, true, true, nullptr, eval_encrypted},
    {"hosts", ItemKind::Condition, true, true, nullptr, eval_hosts},
    {"regex", ItemKind::Condition, true, true, nullptr, eval_regex},
    {"verify", ItemKind::Condition, true, true, nullptr, eval_verify},
});

}  // namespace
}  // namespace engine::acl

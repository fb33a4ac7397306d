// engine/acl_basic.cpp — the ACL conditions and modifiers that need no SMTP session
// (spec chapter 44, sections 18, 21 and 26): acl, condition, continue, endpass, logwrite,
// log_message, message, set.
#include <cctype>
#include <cstdlib>

#include "engine/acl.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

// condition = <string>: "", "0", "no", "false" are false; "yes", "true", a non-zero number
// true; anything else defers.
Check eval_condition(RunState& st, const Item&, const std::string& value) {
  std::string_view v = util::trim(value);
  if (v.empty() || util::iequals(v, "no") || util::iequals(v, "false")) return Check::False;
  if (util::iequals(v, "yes") || util::iequals(v, "true")) return Check::True;
  std::string s(v);
  char* end = nullptr;
  long long n = std::strtoll(s.c_str(), &end, 10);
  if (end && *end == '\0' && end != s.c_str()) return n != 0 ? Check::True : Check::False;
  st.defer_reason = "invalid \"condition\" value \"" + s + "\"";
  return Check::Defer;
}

// Splits `acl = name arg1 "arg two"` into words; "..." may hold spaces and backslash escapes.
std::vector<std::string> split_acl_call(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    std::string w;
    if (s[i] == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        w += s[i];
      }
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) w += s[i++];
    }
    words.push_back(std::move(w));
  }
  return words;
}

// acl = <name> [args]: the raw value is split into words first and each word is expanded on
// its own (spec 44.26), so an argument never splits. Load-time: compile the words.
std::string parse_acl(Item& item) {
  for (const auto& w : split_acl_call(item.text)) {
    item.words.emplace_back();
    lang::Status st = lang::Program::compile(w, item.words.back());
    if (!st.is_ok()) return "error in ACL \"acl\" value: " + st.message();
  }
  if (item.words.empty()) return "missing ACL name for \"acl\" condition";
  return "";
}

// Accept is true, deny false; defer defers (a warn statement just skips).
Check eval_acl(RunState& st, const Item& item, const std::string&) {
  std::vector<std::string> words(item.words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    lang::Status s = item.words[i].eval(st.ctx, words[i]);
    if (!s.is_ok()) {
      st.defer_reason = "failed to expand ACL call \"" + item.text + "\": " + s.message();
      st.log(st.defer_reason);
      return Check::Error;
    }
  }
  if (words[0].empty()) return Check::Error;
  std::string name = words[0];
  words.erase(words.begin());
  if (words.size() > 9) words.resize(9);
  switch (st.call_acl(name, words)) {
    case lang::AclVerdict::Accept:
      return Check::True;
    case lang::AclVerdict::Deny:
      return Check::False;
    case lang::AclVerdict::Defer:
      st.defer_reason = st.user_message;
      return Check::Defer;
    case lang::AclVerdict::Discard:
      return Check::Discard;
    case lang::AclVerdict::Drop:
      return Check::Drop;
    case lang::AclVerdict::Error:
      break;
  }
  return Check::Error;
}

Check eval_continue(RunState&, const Item&, const std::string&) {
  return Check::True;
}

Check eval_endpass(RunState& st, const Item&, const std::string&) {
  st.endpass = true;
  return Check::True;
}

// logwrite = [:log,names:] text — written at once, after the id of the session's latest
// message once there is one (as Exim does, until the next message gets its id).
Check eval_logwrite(RunState& st, const Item&, const std::string& value) {
  std::string_view v = value;
  if (!v.empty() && v[0] == ':') {
    size_t e = v.find(':', 1);
    if (e != std::string_view::npos) v.remove_prefix(e + 1);
  }
  std::string id;
  if (st.ctx.vars) st.ctx.vars->get("message_exim_id", id);
  st.log((id.empty() ? "" : id + " ") + std::string(util::trim(v)));
  return Check::True;
}

Check eval_message(RunState& st, const Item& item, const std::string&) {
  st.message = &item;
  return Check::True;
}

Check eval_log_message(RunState& st, const Item& item, const std::string&) {
  st.log_message = &item;
  return Check::True;
}

Check eval_set(RunState& st, const Item& item, const std::string& value) {
  st.ctx.acl_vars[item.var] = value;
  return Check::True;
}

const AclItemRegistrar reg({
    {"acl", ItemKind::Condition, true, false, parse_acl, eval_acl},
    {"condition", ItemKind::Condition, true, true, nullptr, eval_condition},
    {"continue", ItemKind::Modifier, true, true, nullptr, eval_continue},
    {"endpass", ItemKind::Modifier, false, false, nullptr, eval_endpass},
    {"log_message", ItemKind::Modifier, true, false, nullptr, eval_log_message},
    {"logwrite", ItemKind::Modifier, true, true, nullptr, eval_logwrite},
    {"message", ItemKind::Modifier, true, false, nullptr, eval_message},
    {"set", ItemKind::Modifier, true, true, nullptr, eval_set},
});

}  // namespace
}  // namespace engine::acl

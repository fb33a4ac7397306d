// engine/acl_session_modifiers.cpp — ACL modifiers that act on the SMTP session or the
// message (spec chapter 44, sections 21 and 24-25): control, add_header, remove_header,
// delay.
//
// Outside a session they do nothing (and succeed). An unknown control name is an error (the
// statement errors, which defers the command), as a misspelt control is a configuration bug.
#include <cctype>
#include <thread>

#include "engine/acl.h"
#include "engine/acl_session.h"
#include "util/strings.h"

namespace engine::acl {
namespace {

// control = name[/options]
Check eval_control(RunState& st, const Item&, const std::string& value) {
  std::string_view v = util::trim(value);
  size_t slash = v.find('/');
  std::string name = util::to_lower(v.substr(0, slash));
  std::string_view options = slash == std::string_view::npos ? "" : v.substr(slash + 1);
  SessionHooks* s = st.evaluator.session();
  if (!s) return Check::True;
  std::string error;
  if (!s->control(name, options, error)) {
    st.defer_reason = error;
    st.log(error);
    return Check::Error;
  }
  return Check::True;
}

Check eval_add_header(RunState& st, const Item&, const std::string& value) {
  if (SessionHooks* s = st.evaluator.session(); s && !value.empty()) s->add_header(value);
  return Check::True;
}

Check eval_remove_header(RunState& st, const Item&, const std::string& value) {
  if (SessionHooks* s = st.evaluator.session(); s && !value.empty()) s->remove_header(value);
  return Check::True;
}

// A time as Exim writes it: 30s, 2m, 1h30m, plain seconds.
bool parse_delay(std::string_view v, long long& seconds) {
  seconds = 0;
  v = util::trim(v);
  if (v.empty()) return false;
  while (!v.empty()) {
    long long n = 0;
    size_t i = 0;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) && n < 100000000) {
      n = n * 10 + (v[i++] - '0');
    }
    if (i == 0) return false;
    long long mult = 1;
    if (i < v.size()) {
      char u = static_cast<char>(std::tolower(static_cast<unsigned char>(v[i])));
      mult = u == 's'   ? 1
             : u == 'm' ? 60
             : u == 'h' ? 3600
             : u == 'd' ? 86400
             : u == 'w' ? 604800
                        : 0;
      if (mult == 0) return false;
      ++i;
    }
    seconds += n * mult;
    v.remove_prefix(i);
  }
  return true;
}

// delay = time: the session waits before going on (not in -bh, where it is only traced).
Check eval_delay(RunState& st, const Item& item, const std::string& value) {
  long long secs = 0;
  if (!parse_delay(value, secs)) {
    st.log("delay = \"" + value + "\" is not a time value (" + item.text + ")");
    return Check::Error;
  }
  SessionHooks* s = st.evaluator.session();
  if (!s) return Check::True;
  if (st.tracing())
    st.trace_note("delay modifier requests " + std::to_string(secs) + "-second delay");
  if (!s->delays_allowed()) {
    st.trace_note("delay skipped in -bh checking mode");
    return Check::True;
  }
  if (secs > 3600) secs = 3600;
  if (!s->delay_async(secs)) std::this_thread::sleep_for(std::chrono::seconds(secs));
  return Check::True;
}

const AclItemRegistrar reg({
    {"add_header", ItemKind::Modifier, true, true, nullptr, eval_add_header},
    {"control", ItemKind::Modifier, true, true, nullptr, eval_control},
    {"delay", ItemKind::Modifier, true, true, nullptr, eval_delay},
    {"remove_header", ItemKind::Modifier, true, true, nullptr, eval_remove_header},
});

}  // namespace
}  // namespace engine::acl

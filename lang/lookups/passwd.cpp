// lang/lookups/passwd.cpp — the passwd lookup (spec 9.4): a query-style lookup whose query is
// a user name, answered by getpwnam(). The value has /etc/passwd's layout with "*" for the
// password: "*:uid:gid:gecos:home:shell". An unknown user is "not found".
#include <pwd.h>

#include <vector>

#include "lang/lookup.h"

namespace lang {
namespace {

LookupResult passwd_find(EvalContext&, LookupHandle*, const std::string&, std::string_view user,
                         const LookupOptions&) {
  LookupResult r;
  if (user.empty() || user.find('\0') != std::string_view::npos) return r;
  std::string name(user);
  struct passwd pw, *found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found) return r;
  r.outcome = LookupOutcome::Found;
  r.value = "*:" + std::to_string(pw.pw_uid) + ":" + std::to_string(pw.pw_gid) + ":" + pw.pw_gecos +
            ":" + pw.pw_dir + ":" + pw.pw_shell;
  return r;
}

const LookupRegistrar reg({{"passwd", true, false, nullptr, passwd_find, nullptr}});

}  // namespace
}  // namespace lang

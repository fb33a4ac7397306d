// engine/privilege.cpp — Exim's command-line rules for a privileged binary.
#include "engine/privilege.h"

#include <grp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "engine/variables.h"
#include "util/strings.h"
#include "util/users.h"

namespace engine {

Identity Identity::current() {
  Identity id;
  id.uid = getuid();
  id.euid = geteuid();
  id.gid = getgid();
  id.egid = getegid();
  int n = getgroups(0, nullptr);
  if (n > 0) {
    id.groups.resize(static_cast<size_t>(n));
    n = getgroups(n, id.groups.data());
    id.groups.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  return id;
}

bool must_drop_privilege(const CommandLine& cl, const Identity& id) {
  if (!id.elevated() || id.uid == 0) return false;
  return !cl.config_path.empty() || !cl.macros.empty() || cl.mode == Mode::Expand ||
         cl.mode == Mode::ExpandMsg;
}

util::Result<bool> drop_to_caller(const Identity& id) {
  if (id.euid == 0 && setgroups(0, nullptr) != 0)
    return util::Error{"setgroups failed: " + util::errno_text(errno), {}};
  if (setgid(id.gid) != 0) return util::Error{"setgid failed: " + util::errno_text(errno), {}};
  if (setuid(id.uid) != 0) return util::Error{"setuid failed: " + util::errno_text(errno), {}};
  if (geteuid() != id.uid || getegid() != id.gid)
    return util::Error{"privilege could not be given up", {}};
  return true;
}

bool caller_is_admin(const config::Config& cfg, const Identity& id) {
  if (id.uid == 0) return true;
  if (auto u = util::find_user(main_option(&cfg, "exim_user", "mail")); u && u->uid == id.uid)
    return true;
  if (auto g = util::find_group(main_option(&cfg, "exim_group", "mail")); g && *g == id.gid)
    return true;
  std::string groups = main_option(&cfg, "admin_groups");
  for (size_t b = 0; b <= groups.size();) {
    size_t e = std::min(groups.find(':', b), groups.size());
    auto g = util::find_group(util::trim(std::string_view(groups).substr(b, e - b)));
    if (g && (*g == id.gid || std::find(id.groups.begin(), id.groups.end(), *g) != id.groups.end()))
      return true;
    b = e + 1;
  }
  return false;
}

bool debug_refused(const CommandLine& cl, bool admin, const Identity& id) {
  if (!cl.debug_on || admin || !id.elevated()) return false;
  return cl.mode != Mode::Expand && cl.mode != Mode::Version;
}

}  // namespace engine

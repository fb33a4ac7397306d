// engine/privilege.h — what a caller may do when facteur runs with more privilege than its
// caller (installed set-uid or set-gid, as Exim is): Exim's rules for the command line
// (spec 5, "-C", "-D", "-be", "-d"; T-LOCAL-1 and T-LOCAL-4 of security-tests.md).
//
// Contract: an unprivileged caller who names another configuration (-C), defines macros (-D)
// or tests expansions (-be, -bem) gets the process dropped to its own real uid and gid
// before the configuration is read; debugging output (-d) needs an admin caller except for
// -be and -bV. Admins: real uid 0, the exim_user, a real gid of exim_group, or a member of
// admin_groups. A binary that is not set-uid/set-gid gives nothing to drop: every rule passes.
// Failure: drop_to_caller() reports a setgid/setuid that failed (the caller then stops).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "engine/cli.h"
#include "engine/config/config.h"
#include "util/result.h"

namespace engine {

// Who runs the process and with what.
struct Identity {
  uid_t uid = 0, euid = 0;
  gid_t gid = 0, egid = 0;
  std::vector<gid_t> groups;  // supplementary groups of the caller
  static Identity current();
  bool elevated() const { return uid != euid || gid != egid; }
};

// -C (a path other than the default list), -D, -be or -bem by a caller other than root.
bool must_drop_privilege(const CommandLine& cl, const Identity& id);
// Sets gid and uid (and the groups) to the caller's. Error: the system call that failed.
util::Result<bool> drop_to_caller(const Identity& id);

// Root, exim_user, a real gid of exim_group, or a member of admin_groups.
bool caller_is_admin(const config::Config& cfg, const Identity& id);
// -d given by a caller who is no admin, to a privileged process, outside -be and -bV.
bool debug_refused(const CommandLine& cl, bool admin, const Identity& id);

}  // namespace engine

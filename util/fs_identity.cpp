// util/fs_identity.cpp — per-thread fsuid/fsgid/groups switching.
#include "util/fs_identity.h"

#include <grp.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "util/strings.h"

namespace util {
namespace {

// setgroups() for this thread only (the glibc wrapper changes every thread).
int thread_setgroups(const std::vector<gid_t>& groups) {
  return static_cast<int>(syscall(SYS_setgroups, groups.size(), groups.data()));
}

std::vector<gid_t> current_groups() {
  int n = getgroups(0, nullptr);
  std::vector<gid_t> g(n > 0 ? static_cast<size_t>(n) : 0);
  if (n > 0 && getgroups(n, g.data()) < 0) g.clear();
  return g;
}

}  // namespace

ScopedFsIdentity::ScopedFsIdentity(ScopedFsIdentity&& o) noexcept
    : active_(o.active_),
      saved_uid_(o.saved_uid_),
      saved_gid_(o.saved_gid_),
      saved_groups_(std::move(o.saved_groups_)) {
  o.active_ = false;
}

ScopedFsIdentity::~ScopedFsIdentity() {
  restore();
}

void ScopedFsIdentity::restore() {
  if (!active_) return;
  active_ = false;
  setfsuid(saved_uid_);  // back to root first: the group calls need the privilege
  setfsgid(saved_gid_);
  (void)thread_setgroups(saved_groups_);
}

Result<ScopedFsIdentity> ScopedFsIdentity::enter(uid_t uid, gid_t gid,
                                                 const std::vector<gid_t>& groups) {
  ScopedFsIdentity s;
  if (geteuid() != 0) return s;
  uid_t cur_uid = static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1)));
  gid_t cur_gid = static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1)));
  if (cur_uid == uid && cur_gid == gid && uid == 0) return s;
  s.saved_uid_ = cur_uid;
  s.saved_gid_ = cur_gid;
  s.saved_groups_ = current_groups();
  s.active_ = true;
  if (thread_setgroups(groups) != 0) {
    int e = errno;
    return Error{"setgroups failed: " + errno_text(e), {}};
  }
  setfsgid(gid);
  if (static_cast<gid_t>(setfsgid(static_cast<gid_t>(-1))) != gid)
    return Error{"setfsgid(" + std::to_string(gid) + ") failed", {}};
  setfsuid(uid);
  if (static_cast<uid_t>(setfsuid(static_cast<uid_t>(-1))) != uid)
    return Error{"setfsuid(" + std::to_string(uid) + ") failed", {}};
  return s;
}

std::vector<gid_t> user_groups(const char* name, gid_t gid) {
  int n = 32;
  std::vector<gid_t> g(static_cast<size_t>(n));
  if (getgrouplist(name, gid, g.data(), &n) < 0) {
    g.resize(static_cast<size_t>(n));
    if (getgrouplist(name, gid, g.data(), &n) < 0) return {gid};
  }
  g.resize(static_cast<size_t>(n));
  return g;
}

}  // namespace util

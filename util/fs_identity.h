// util/fs_identity.h — the file-system identity of the calling thread (Linux setfsuid(2),
// setfsgid(2) and the thread's supplementary groups), switched for the length of a scope.
//
// A root process delivering to a user's mailbox takes the user's identity for its file
// operations only: permission checks are made as that user, files and directories it creates
// belong to the user, and the kernel drops the file-system capabilities (CAP_DAC_OVERRIDE,
// CAP_CHOWN, CAP_FOWNER ...) while the fsuid is not 0. Other threads, and everything that is not
// a file-system operation, keep the process's identity. (glibc broadcasts setgroups() to every
// thread, so the groups are changed with the raw system call, which is per thread.)
//
// Contract: when the process does not run as root, or the requested identity is already the
// thread's, enter() changes nothing and succeeds. Failure: an error naming the call that failed;
// the previous identity is then restored. The destructor always restores it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <vector>

#include "util/result.h"

namespace util {

class ScopedFsIdentity {
 public:
  ScopedFsIdentity() = default;
  ScopedFsIdentity(ScopedFsIdentity&& o) noexcept;
  ScopedFsIdentity& operator=(ScopedFsIdentity&&) = delete;
  ~ScopedFsIdentity();

  // `groups`: the supplementary groups to use (typically empty, or the user's from initgroups).
  static Result<ScopedFsIdentity> enter(uid_t uid, gid_t gid, const std::vector<gid_t>& groups);
  bool active() const { return active_; }

 private:
  void restore();
  bool active_ = false;
  uid_t saved_uid_ = 0;
  gid_t saved_gid_ = 0;
  std::vector<gid_t> saved_groups_;
};

// The supplementary groups of user `name` with primary group `gid` (getgrouplist).
std::vector<gid_t> user_groups(const char* name, gid_t gid);

}  // namespace util

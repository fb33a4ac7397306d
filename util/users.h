// util/users.h — user and group names and numbers from the system databases (getpwnam_r,
// getgrnam_r and friends), thread-safe.
//
// Contract: a name that is all digits is taken as a number; a number that has no passwd entry
// is still a valid uid (name and home are then empty), as Exim accepts numeric user settings.
// Failure: std::nullopt when a name is unknown or the database cannot be read.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace util {

struct UserInfo {
  uid_t uid = 0;
  gid_t gid = 0;     // the user's primary group (meaningless when !has_entry)
  std::string name;  // empty for a number without a passwd entry
  std::string home;  // pw_dir
  bool has_entry = false;
};

std::optional<UserInfo> find_user(std::string_view name_or_number);
std::optional<UserInfo> find_user_by_uid(uid_t uid);
std::optional<gid_t> find_group(std::string_view name_or_number);

}  // namespace util

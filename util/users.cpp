// util/users.cpp — reentrant passwd and group look-ups.
#include "util/users.h"

#include <grp.h>
#include <pwd.h>

#include <vector>

namespace util {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

unsigned long to_number(std::string_view s) {
  unsigned long n = 0;
  for (char c : s) n = n * 10 + static_cast<unsigned long>(c - '0');
  return n;
}

UserInfo from_passwd(const passwd& pw) {
  return {pw.pw_uid, pw.pw_gid, pw.pw_name ? pw.pw_name : "", pw.pw_dir ? pw.pw_dir : "", true};
}

}  // namespace

std::optional<UserInfo> find_user_by_uid(uid_t uid) {
  passwd pw{}, *found = nullptr;
  std::vector<char> buf(16384);
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) return std::nullopt;
  return from_passwd(pw);
}

std::optional<UserInfo> find_user(std::string_view name_or_number) {
  if (all_digits(name_or_number)) {
    auto uid = static_cast<uid_t>(to_number(name_or_number));
    if (auto u = find_user_by_uid(uid)) return u;
    UserInfo u;
    u.uid = uid;
    return u;
  }
  std::string name(name_or_number);
  passwd pw{}, *found = nullptr;
  std::vector<char> buf(16384);
  if (name.empty() || getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return from_passwd(pw);
}

std::optional<gid_t> find_group(std::string_view name_or_number) {
  if (all_digits(name_or_number)) return static_cast<gid_t>(to_number(name_or_number));
  std::string name(name_or_number);
  group gr{}, *found = nullptr;
  std::vector<char> buf(16384);
  if (name.empty() || getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || !found)
    return std::nullopt;
  return gr.gr_gid;
}

}  // namespace util

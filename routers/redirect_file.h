// routers/redirect_file.h — reading the redirect router's `file` (a .forward file, an alias
// file) safely (spec 22: file, check_owner, check_group, owners, owngroups, modemask,
// ignore_eacces, ignore_enotdir; Exim's rda_get_file_contents).
//
// When the process runs as root and the router has a uid and gid to deliver as
// (check_local_user's user, or the user and group options), the file is opened and read in a child
// process that has taken that uid and gid, as Exim reads it: a user's .forward that is a symbolic
// link to a file only root may read gives "Permission denied", never its contents. Otherwise the
// file is read as the process user. The checks are made on the opened file (fstat), so the
// file checked is the file read: a regular file, none of the `modemask` bits set, owned by
// one of `owners` when check_owner, group one of `groups` when check_group.
//
// Results: Ok with the contents; Missing when the file does not exist (ENOENT with its
// directory present — or either with ignore_enotdir — and EACCES with ignore_eacces): the
// router declines; Error with Exim's message ("bad mode (0644) for /x: 022 bit(s)
// unexpected", "bad owner for /x", "failed to open /x: ..."): the router defers.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace routers {

struct RedirectFileChecks {
  std::int64_t modemask = 022;
  bool check_owner = false, check_group = false;
  std::vector<uid_t> owners;  // with check_owner: the permitted owners
  std::vector<gid_t> groups;  // with check_group: the permitted groups
  bool ignore_eacces = false, ignore_enotdir = false;
  std::optional<uid_t> uid;  // read as this user (and group) when running as root
  std::optional<gid_t> gid;
};

enum class RedirectFileStatus : unsigned char { Ok, Missing, Error };

RedirectFileStatus read_redirect_file(const std::string& path, const RedirectFileChecks& checks,
                                      std::string& data, std::string& error);

// Parses an owners / owngroups value (names or numbers, colon-separated); false with the
// unknown name in `bad`.
bool parse_uid_list(const std::string& list, std::vector<uid_t>& out, std::string& bad);
bool parse_gid_list(const std::string& list, std::vector<gid_t>& out, std::string& bad);

}  // namespace routers

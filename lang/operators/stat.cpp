// lang/operators/stat.cpp — ${stat:<path>} (spec 11.6): stat() of the file as
// "mode=0644 smode=-rw-r--r-- inode=N device=N links=N uid=N gid=N size=N atime=N mtime=N
// ctime=N". `mode` is the low 15 bits of st_mode in octal (so the type shows for directories
// and devices but not for regular files, as in Exim); `smode` is ls's symbolic form.
// Error: "stat(<path>) failed: <strerror>".
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

char type_char(mode_t m) {
  if (S_ISDIR(m)) return 'd';
  if (S_ISLNK(m)) return 'l';
  if (S_ISCHR(m)) return 'c';
  if (S_ISBLK(m)) return 'b';
  if (S_ISFIFO(m)) return 'p';
  if (S_ISSOCK(m)) return 's';
  return '-';
}

std::string symbolic_mode(mode_t m) {
  std::string s(10, '-');
  s[0] = type_char(m);
  const char* rwx = "rwx";
  for (int k = 0; k < 9; ++k) {
    if (m & (0400u >> k)) s[static_cast<size_t>(k) + 1] = rwx[k % 3];
  }
  // set-uid, set-gid and sticky bits take the place of an execute bit.
  auto special = [&](size_t pos, mode_t bit, char on_x, char off_x) {
    if (m & bit) s[pos] = s[pos] == 'x' ? on_x : off_x;
  };
  special(3, S_ISUID, 's', 'S');
  special(6, S_ISGID, 's', 'S');
  special(9, S_ISVTX, 't', 'T');
  return s;
}

Status op_stat(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  std::string path(a);
  struct stat st;
  if (path.find('\0') != std::string::npos || ::stat(path.c_str(), &st) != 0) {
    int err = path.find('\0') != std::string::npos ? ENOENT : errno;
    return Status::error("stat(" + path + ") failed: " + util::errno_text(err));
  }
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "mode=%04lo smode=%s inode=%llu device=%llu links=%llu uid=%llu gid=%llu "
      "size=%lld atime=%lld mtime=%lld ctime=%lld",
      static_cast<unsigned long>(st.st_mode & 077777), symbolic_mode(st.st_mode).c_str(),
      static_cast<unsigned long long>(st.st_ino), static_cast<unsigned long long>(st.st_dev),
      static_cast<unsigned long long>(st.st_nlink), static_cast<unsigned long long>(st.st_uid),
      static_cast<unsigned long long>(st.st_gid), static_cast<long long>(st.st_size),
      static_cast<long long>(st.st_atime), static_cast<long long>(st.st_mtime),
      static_cast<long long>(st.st_ctime));
  out += buf;
  return Status::ok();
}

const OperatorRegistrar reg({{"stat", op_stat}});

}  // namespace
}  // namespace lang

// lang/lookups/dsearch.cpp — the dsearch lookup (spec 9.3): the "file" is a directory and the
// key an entry name, found when lstat() of directory/key succeeds. The value is the key, or
// the full path with ret=full. filter=file, filter=dir and filter=subdir (a directory other
// than "." and "..") restrict the entry type; unknown option values are ignored.
//
// Failure: a directory that cannot be opened ("failed to open D for directory search: ..."),
// or a key containing '/' (defer) — a key can never reach outside the directory.
#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>

#include "lang/lookups/file_index.h"
#include "lang/lookups/linear_file.h"
#include "util/strings.h"

namespace lang {
namespace {

Status dsearch_open(const std::string& dir, std::unique_ptr<LookupHandle>& out) {
  DIR* d = dir.empty() ? nullptr : ::opendir(lookup_file_path(dir).c_str());
  if (!d) {
    int err = dir.empty() ? ENOENT : errno;
    return Status::error("failed to open " + dir +
                         " for directory search: " + util::errno_text(err));
  }
  ::closedir(d);
  out = std::make_unique<LookupHandle>();
  return Status::ok();
}

bool type_wanted(std::string_view filter, std::string_view key, const struct stat& st) {
  if (filter == "file") return S_ISREG(st.st_mode);
  if (filter == "dir") return S_ISDIR(st.st_mode);
  if (filter == "subdir") return S_ISDIR(st.st_mode) && key != "." && key != "..";
  return true;
}

LookupResult dsearch_find(EvalContext&, LookupHandle*, const std::string& dir, std::string_view key,
                          const LookupOptions& opts) {
  LookupResult r;
  if (key.find('/') != std::string_view::npos) {
    r.outcome = LookupOutcome::Defer;
    r.message = "key for dsearch lookup contains a slash: " + std::string(key);
    return r;
  }
  std::string path = dir + "/" + std::string(key);
  struct stat st;
  if (key.find('\0') != std::string_view::npos ||
      ::lstat(lookup_file_path(path).c_str(), &st) != 0 ||
      !type_wanted(lookup_option(opts, "filter"), key, st)) {
    return r;
  }
  r.outcome = LookupOutcome::Found;
  r.value = lookup_option(opts, "ret") == "full" ? path : std::string(key);
  return r;
}

const LookupRegistrar reg({{"dsearch", false, true, dsearch_open, dsearch_find, nullptr}});

}  // namespace
}  // namespace lang

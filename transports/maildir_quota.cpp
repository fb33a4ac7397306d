// transports/maildir_quota.cpp — directory sizes and the maildirsize file.
#include "transports/maildir_quota.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "util/strings.h"

namespace transports {
namespace {

constexpr size_t kMaxSizeFile = 5120;

bool size_from_name(const lang::Regex* re, const std::string& name, int64_t& size) {
  if (!re) return false;
  std::vector<std::string> caps;
  if (!re->search(name, 0, caps) || caps.size() < 2 || caps[1].empty()) return false;
  char* end = nullptr;
  long long v = std::strtoll(caps[1].c_str(), &end, 10);
  if (*end != '\0' || v < 0) return false;
  size = v;
  return true;
}

void walk(const std::string& dir, const lang::Regex* size_regex, const lang::Regex* dir_regex,
          bool top, int depth, DirUsage& u) {
  if (depth > 32) return;
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  std::vector<std::string> subdirs;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      std::vector<std::string> caps;
      if (!dir_regex || dir_regex->search(name, 0, caps)) subdirs.push_back(path);
      continue;
    }
    if (!S_ISREG(st.st_mode) || (top && dir_regex)) continue;
    int64_t size = st.st_size;
    size_from_name(size_regex, name, size);
    u.size += size;
    u.count += 1;
  }
  closedir(d);
  for (const std::string& s : subdirs) walk(s, size_regex, dir_regex, false, depth + 1, u);
}

std::string quota_line(int64_t quota, int64_t count) {
  std::string q = std::to_string(quota) + "S";
  if (count > 0) q += "," + std::to_string(count) + "C";
  return q;
}

// Parses the file; false when it must be recomputed.
bool parse_size_file(const std::string& text, const std::string& want_quota, DirUsage& u) {
  if (text.size() > kMaxSizeFile) return false;
  size_t eol = text.find('\n');
  if (eol == std::string::npos || text.substr(0, eol) != want_quota) return false;
  size_t pos = eol + 1;
  while (pos < text.size()) {
    eol = text.find('\n', pos);
    if (eol == std::string::npos) return false;  // a half-written last line
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    char* end = nullptr;
    long long size = std::strtoll(line.c_str(), &end, 10);
    if (end == line.c_str()) return false;
    char* start = end;
    long long count = std::strtoll(start, &end, 10);
    if (end == start || !util::trim(end).empty()) return false;
    u.size += size;
    u.count += count;
  }
  return true;
}

std::string read_small(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out(kMaxSizeFile + 1, '\0');
  ssize_t n = read(fd, out.data(), out.size());
  close(fd);
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

util::Result<bool> write_size_file(const std::string& dir, const std::string& text, mode_t mode) {
  static std::atomic<unsigned> counter{0};
  std::string tmp = dir + "/tmp/maildirsize." + std::to_string(getpid()) + "." +
                    std::to_string(counter.fetch_add(1));
  std::string final_path = dir + "/maildirsize";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    tmp = final_path + ".tmp" + std::to_string(getpid());
    fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  }
  if (fd < 0) return util::Error{"failed to create " + tmp + ": " + util::errno_text(errno), {}};
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp.c_str(), final_path.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    return util::Error{"failed to write " + final_path + ": " + util::errno_text(e), {}};
  }
  return true;
}

}  // namespace

DirUsage directory_usage(const std::string& dir, const lang::Regex* size_regex,
                         const lang::Regex* dir_regex) {
  DirUsage u;
  walk(dir, size_regex, dir_regex, true, 0, u);
  return u;
}

util::Result<DirUsage> maildirsize_read(const std::string& dir, int64_t quota, int64_t quota_count,
                                        const lang::Regex* size_regex, const lang::Regex* dir_regex,
                                        mode_t mode) {
  std::string want = quota_line(quota, quota_count);
  DirUsage u;
  if (parse_size_file(read_small(dir + "/maildirsize"), want, u)) return u;
  u = directory_usage(dir, size_regex, dir_regex);
  std::string text = want + "\n" + std::to_string(u.size) + " " + std::to_string(u.count) + "\n";
  if (auto w = write_size_file(dir, text, mode); !w) return w.error();
  return u;
}

util::Result<bool> maildirsize_add(const std::string& dir, int64_t size, int64_t count) {
  std::string path = dir + "/maildirsize";
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return util::Error{"failed to open " + path + ": " + util::errno_text(errno), {}};
  std::string line = std::to_string(size) + " " + std::to_string(count) + "\n";
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  int e = errno;
  close(fd);
  if (!ok) return util::Error{"failed to write " + path + ": " + util::errno_text(e), {}};
  return true;
}

}  // namespace transports

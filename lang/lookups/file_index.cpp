#include "lang/lookups/file_index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace lang {
namespace {

FileStamp stamp_of(const struct stat& st) {
  FileStamp s;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.size = st.st_size;
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return s;
}

}  // namespace

std::string lookup_file_path(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  return "/" + path;
}

bool file_stamp(const std::string& path, FileStamp& out) {
  struct stat st;
  if (::stat(lookup_file_path(path).c_str(), &st) != 0) return false;
  out = stamp_of(st);
  return true;
}

bool file_check_due(FileCheck& c, int64_t interval_ns) {
  if (interval_ns <= 0) return true;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  int64_t now = static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  if (c.at_ns != INT64_MIN && now - c.at_ns < interval_ns) return false;
  c.at_ns = now;
  return true;
}

bool file_read(const std::string& path, std::string& content, FileStamp& stamp, int& err) {
  // An empty name fails as Exim's fopen("") does.
  if (path.empty()) {
    err = ENOENT;
    return false;
  }
  int fd = ::open(lookup_file_path(path).c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    err = errno;
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    err = errno;
    ::close(fd);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    err = kNotRegularFile;
    ::close(fd);
    return false;
  }
  stamp = stamp_of(st);
  content.clear();
  if (st.st_size > 0) content.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return true;
}

}  // namespace lang

#include "engine/spool_io.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace engine {

std::string spool_temp_path(std::string_view final_path) {
  return std::string(final_path) + ".tmp";
}

bool spool_lock(int fd) {
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

bool spool_is_locked(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  bool locked = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  close(fd);
  return locked;
}

bool spool_write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool spool_sync_dir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = fsync(fd) == 0;
  int e = errno;
  close(fd);
  errno = e;
  return ok;
}

// ext4 has a journal when jbd2 lists one for its device: /proc/fs/jbd2/<device>-<inode>.
bool spool_fsync_covers_rename(const std::string& dir) {
  constexpr long kXfs = 0x58465342, kExt = 0xEF53;
  struct statfs fs {};
  struct stat st {};
  if (statfs(dir.c_str(), &fs) != 0 || stat(dir.c_str(), &st) != 0) return false;
  if (fs.f_type == kXfs) return true;
  if (fs.f_type != kExt) return false;
  std::error_code ec;
  std::string dev =
      "/sys/dev/block/" + std::to_string(major(st.st_dev)) + ":" + std::to_string(minor(st.st_dev));
  std::string name = std::filesystem::read_symlink(dev, ec).filename().string();
  if (ec || name.empty()) return false;
  for (const auto& e : std::filesystem::directory_iterator("/proc/fs/jbd2", ec)) {
    std::string j = e.path().filename().string();
    if (j.size() > name.size() && j.starts_with(name) && j[name.size()] == '-') return true;
  }
  return false;
}

namespace {

std::mutex& dir_mutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

SpoolDirGuard::SpoolDirGuard() {
  dir_mutex().lock();
}

SpoolDirGuard::~SpoolDirGuard() {
  dir_mutex().unlock();
}

int spool_create(const std::string& path) {
  SpoolDirGuard guard;
  return open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
}

bool spool_rename_new(const std::string& from, const std::string& to) {
  SpoolDirGuard guard;
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  // File systems without RENAME_NOREPLACE: link() refuses an existing target too.
  if (link(from.c_str(), to.c_str()) != 0) return false;
  unlink(from.c_str());
  return true;
}

}  // namespace engine

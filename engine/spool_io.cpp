#include "engine/spool_io.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
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

namespace {

constexpr long kXfsMagic = 0x58465342, kExtMagic = 0xEF53;

// ext4 has a journal when jbd2 lists one for its device: /proc/fs/jbd2/<device>-<inode>.
bool ext4_has_journal(dev_t dev) {
  std::error_code ec;
  std::string link =
      "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
  std::string name = std::filesystem::read_symlink(link, ec).filename().string();
  if (ec || name.empty()) return false;
  for (const auto& e : std::filesystem::directory_iterator("/proc/fs/jbd2", ec)) {
    std::string j = e.path().filename().string();
    if (j.size() > name.size() && j.starts_with(name) && j[name.size()] == '-') return true;
  }
  return false;
}

enum class FsKind { Other, Xfs, Ext4Journal, Ext4NoJournal };

FsKind fs_kind(const std::string& dir) {
  struct statfs fs {};
  struct stat st {};
  if (statfs(dir.c_str(), &fs) != 0 || stat(dir.c_str(), &st) != 0) return FsKind::Other;
  if (fs.f_type == kXfsMagic) return FsKind::Xfs;
  if (fs.f_type != kExtMagic) return FsKind::Other;
  return ext4_has_journal(st.st_dev) ? FsKind::Ext4Journal : FsKind::Ext4NoJournal;
}

// Whether changes to `dir` take the process's mutex, decided once per directory.
bool serialized_dir(const std::string& dir) {
  static std::mutex mu;
  static std::map<std::string, bool, std::less<>> known;
  std::lock_guard lock(mu);
  auto it = known.find(dir);
  if (it != known.end()) return it->second;
  bool slow = fs_kind(dir) == FsKind::Ext4NoJournal;
  known.emplace(dir, slow);
  return slow;
}

}  // namespace

bool spool_fsync_covers_rename(const std::string& dir) {
  FsKind k = fs_kind(dir);
  return k == FsKind::Xfs || k == FsKind::Ext4Journal;
}

namespace {

std::mutex& dir_mutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

SpoolDirGuard::SpoolDirGuard(const std::string& path) {
  size_t slash = path.rfind('/');
  locked_ = serialized_dir(slash == std::string::npos ? "." : path.substr(0, slash));
  if (locked_) dir_mutex().lock();
}

SpoolDirGuard::~SpoolDirGuard() {
  if (locked_) dir_mutex().unlock();
}

int spool_create(const std::string& path) {
  SpoolDirGuard guard(path);
  return open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
}

bool spool_rename_new(const std::string& from, const std::string& to) {
  SpoolDirGuard guard(to);
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  // File systems without RENAME_NOREPLACE: link() refuses an existing target too.
  if (link(from.c_str(), to.c_str()) != 0) return false;
  unlink(from.c_str());
  return true;
}

}  // namespace engine

// transports/once_file.cpp — the "once" file of the autoreply transport.
#include "transports/once_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <deque>
#include <utility>

#include "transports/mailbox_lock.h"
#include "util/strings.h"

namespace transports {
namespace {

using Entries = std::deque<std::pair<int64_t, std::string>>;

util::Error file_error(const std::string& what, const std::string& path) {
  return util::Error{what + " " + path + ": " + util::errno_text(errno), {}};
}

Entries parse(const std::string& text) {
  Entries out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) break;  // a torn last line is ignored
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    out.emplace_back(std::atoll(line.substr(0, sp).c_str()), line.substr(sp + 1));
  }
  return out;
}

util::Result<std::string> read_all(int fd, const std::string& path) {
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  if (n < 0) return file_error("failed to read", path);
  return out;
}

}  // namespace

util::Result<int64_t> once_lookup(const std::string& path, const std::string& address) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return int64_t{0};
    return file_error("failed to open", path);
  }
  auto text = read_all(fd, path);
  close(fd);
  if (!text) return text.error();
  int64_t when = 0;
  for (const auto& [t, a] : parse(*text))
    if (util::iequals(a, address)) when = t;
  return when;
}

util::Result<bool> once_record(const std::string& path, const std::string& address, int64_t when,
                               int64_t max_size, mode_t mode) {
  MailboxMutex in_process(path);
  int fd = -1;
  // Lock the file that is in place: someone may have renamed a new one over it meanwhile.
  for (int attempt = 0; attempt < 10 && fd < 0; ++attempt) {
    fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0) return file_error("failed to open", path);
    std::string err;
    if (fcntl_lock(fd, 30, err) != LockResult::Ok) {
      close(fd);
      return util::Error{"failed to lock " + path + ": " + err, {}};
    }
    struct stat held {
    }, now{};
    if (fstat(fd, &held) == 0 && stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev)
      break;
    close(fd);
    fd = -1;
  }
  if (fd < 0) return util::Error{"failed to lock " + path + ": it keeps changing", {}};
  auto text = read_all(fd, path);
  if (!text) {
    close(fd);
    return text.error();
  }
  Entries entries = parse(*text);
  std::erase_if(entries, [&](const auto& e) { return util::iequals(e.second, address); });
  entries.emplace_back(when, address);
  std::string out;
  auto render = [&] {
    out.clear();
    for (const auto& [t, a] : entries) out += std::to_string(t) + " " + a + "\n";
  };
  render();
  while (max_size > 0 && static_cast<int64_t>(out.size()) > max_size && entries.size() > 1) {
    entries.pop_front();
    render();
  }
  std::string tmp = path + ".tmp" + std::to_string(getpid());
  int t = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  bool ok = t >= 0 && write(t, out.data(), out.size()) == static_cast<ssize_t>(out.size()) &&
            fsync(t) == 0;
  if (t >= 0) close(t);
  ok = ok && rename(tmp.c_str(), path.c_str()) == 0;
  int e = errno;
  close(fd);
  if (!ok) {
    unlink(tmp.c_str());
    errno = e;
    return file_error("failed to write", path);
  }
  return true;
}

}  // namespace transports

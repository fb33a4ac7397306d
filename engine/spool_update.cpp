// engine/spool_update.cpp — locks, -H rewrites, the -J journal (see spool_update.h).
#include "engine/spool_update.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

#include "engine/spool_io.h"
#include "util/strings.h"

namespace engine {
namespace {

util::Error sys_error(const std::string& what, const std::string& path) {
  return util::Error{what + " " + path + ": " + util::errno_text(errno), {}};
}

}  // namespace

util::Result<SpoolLock> SpoolLock::acquire(const SpoolLayout& layout, std::string_view id,
                                           Failure* why) {
  auto fail = [&](Failure f, util::Error e) -> util::Result<SpoolLock> {
    if (why) *why = f;
    return e;
  };
  std::string path = layout.data_path(id);
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return fail(Failure::Missing,
                  {"Spool data file for " + std::string(id) + " does not exist", {}});
    }
    return fail(Failure::Error, sys_error("cannot open", path));
  }
  if (!spool_lock(fd)) {
    int e = errno;
    close(fd);
    if (e == EAGAIN || e == EACCES) {
      return fail(Failure::Locked,
                  {"Spool file is locked (another process is handling this message)", {}});
    }
    errno = e;
    return fail(Failure::Error, sys_error("cannot lock", path));
  }
  if (why) *why = Failure::None;
  return SpoolLock(fd);
}

SpoolLock& SpoolLock::operator=(SpoolLock&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

SpoolLock::~SpoolLock() {
  if (fd_ >= 0) close(fd_);  // closing the description releases its lock
}

std::string spool_journal_path(const SpoolLayout& layout, std::string_view id) {
  return layout.input_dir(id) + "/" + std::string(id) + "-J";
}

SpoolStatus spool_rewrite_header(const SpoolLayout& layout, const SpoolMessage& msg, bool sync) {
  std::string path = layout.header_path(msg.id);
  std::string tmp = spool_temp_path(path);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return sys_error("cannot create", tmp);
  bool ok = spool_write_all(fd, spool_header_format(msg)) && (!sync || fdatasync(fd) == 0);
  int e = errno;
  close(fd);
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) e = errno;
    unlink(tmp.c_str());
    errno = e;
    return sys_error("cannot write", path);
  }
  return spool_ok();
}

std::vector<std::string> spool_journal_read(const SpoolLayout& layout, std::string_view id) {
  std::vector<std::string> out;
  std::ifstream in(spool_journal_path(layout, id));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

SpoolJournal::~SpoolJournal() {
  if (fd_ >= 0) close(fd_);
}

SpoolStatus SpoolJournal::append(const std::vector<std::string>& addresses) {
  if (addresses.empty()) return spool_ok();
  if (fd_ < 0) {
    fd_ = open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) return sys_error("cannot open", path_);
  }
  std::string text;
  for (const auto& a : addresses) text += a + "\n";
  if (!spool_write_all(fd_, text) || (sync_ && fdatasync(fd_) != 0)) {
    return sys_error("cannot write", path_);
  }
  return spool_ok();
}

void SpoolJournal::remove() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  unlink(path_.c_str());
}

bool spool_journal_apply(const std::vector<std::string>& journal, SpoolMessage& msg) {
  bool changed = false;
  for (const auto& a : journal) {
    if (std::find(msg.non_recipients.begin(), msg.non_recipients.end(), a) !=
        msg.non_recipients.end()) {
      continue;
    }
    msg.non_recipients.push_back(a);
    changed = true;
  }
  return changed;
}

SpoolStatus spool_remove_message(const SpoolLayout& layout, std::string_view id) {
  std::string header = layout.header_path(id);
  if (unlink(header.c_str()) != 0 && errno != ENOENT) return sys_error("cannot remove", header);
  unlink(layout.data_path(id).c_str());
  unlink(spool_journal_path(layout, id).c_str());
  unlink(layout.msglog_path(id).c_str());
  return spool_ok();
}

}  // namespace engine

// engine/spool.cpp — spool paths, the -D writer and the -H temporary file (spool.h).
#include "engine/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "engine/spool_io.h"
#include "util/strings.h"

namespace engine {

std::string SpoolLayout::subdir(std::string_view id) const {
  if (!split || id.size() < 6) return "input";
  return "input/" + std::string(1, id[5]);
}

std::string SpoolLayout::input_dir(std::string_view id) const {
  return directory + "/" + subdir(id);
}

std::string SpoolLayout::data_path(std::string_view id) const {
  return input_dir(id) + "/" + std::string(id) + "-D";
}

std::string SpoolLayout::header_path(std::string_view id) const {
  return input_dir(id) + "/" + std::string(id) + "-H";
}

std::string SpoolLayout::msglog_path(std::string_view id) const {
  std::string dir = directory + "/msglog";
  if (split && id.size() >= 6) dir += "/" + std::string(1, id[5]);
  return dir + "/" + std::string(id);
}

SpoolStatus spool_make_dirs(const SpoolLayout& layout) {
  for (std::string d :
       {layout.directory, layout.directory + "/input", layout.directory + "/msglog"}) {
    if (mkdir(d.c_str(), 0750) != 0 && errno != EEXIST)
      return util::Error{"cannot create " + d + ": " + util::errno_text(errno), {}};
  }
  return spool_ok();
}

// --- SpoolData ---

util::Result<SpoolData> SpoolData::create(const SpoolLayout& layout, std::string id) {
  std::string dir = layout.input_dir(id);
  if (layout.split && mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST)
    return util::Error{"cannot create " + dir + ": " + util::errno_text(errno), {}};
  std::string path = layout.data_path(id);
  int fd = spool_create(path);
  if (fd < 0) return util::Error{"cannot create " + path + ": " + util::errno_text(errno), {}};
  if (!spool_lock(fd)) {
    int e = errno;
    close(fd);
    unlink(path.c_str());
    return util::Error{"cannot lock " + path + ": " + util::errno_text(e), {}};
  }
  SpoolData d;
  d.layout_ = layout;
  d.id_ = std::move(id);
  d.fd_ = fd;
  d.buf_ = d.id_ + "-D\n";
  return d;
}

SpoolData::SpoolData(SpoolData&& o) noexcept {
  *this = std::move(o);
}

SpoolData& SpoolData::operator=(SpoolData&& o) noexcept {
  if (this == &o) return *this;
  discard();
  layout_ = std::move(o.layout_);
  id_ = std::move(o.id_);
  buf_ = std::move(o.buf_);
  fd_ = o.fd_;
  size_ = o.size_;
  lines_ = o.lines_;
  zeros_ = o.zeros_;
  o.fd_ = -1;
  return *this;
}

SpoolData::~SpoolData() {
  discard();
}

void SpoolData::discard() {
  if (fd_ < 0) return;
  unlink(layout_.data_path(id_).c_str());
  close(fd_);  // last: closing releases the lock
  fd_ = -1;
}

SpoolStatus SpoolData::write(std::string_view bytes) {
  if (fd_ < 0) return util::Error{"spool data file is not open", {}};
  size_ += static_cast<int64_t>(bytes.size());
  lines_ += static_cast<int64_t>(util::count_byte(bytes, '\n'));
  zeros_ += static_cast<int64_t>(util::count_byte(bytes, '\0'));
  if (buf_.empty() && bytes.size() >= 64 * 1024) return write_out(bytes);  // no copy via buf_
  buf_.append(bytes);
  if (buf_.size() >= 64 * 1024) return flush();
  return spool_ok();
}

SpoolStatus SpoolData::write_out(std::string_view bytes) {
  if (!spool_write_all(fd_, bytes)) {
    return util::Error{"write error on " + layout_.data_path(id_) + ": " + util::errno_text(errno),
                       {}};
  }
  return spool_ok();
}

SpoolStatus SpoolData::flush() {
  if (fd_ < 0) return util::Error{"spool data file is not open", {}};
  SpoolStatus st = write_out(buf_);
  if (st) buf_.clear();
  return st;
}

int SpoolData::release_fd() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

// --- PreparedMessage ---

PreparedMessage::PreparedMessage(PreparedMessage&& o) noexcept {
  *this = std::move(o);
}

PreparedMessage& PreparedMessage::operator=(PreparedMessage&& o) noexcept {
  if (this == &o) return *this;
  discard();
  layout_ = std::move(o.layout_);
  id_ = std::move(o.id_);
  data_fd_ = o.data_fd_;
  header_fd_ = o.header_fd_;
  o.data_fd_ = o.header_fd_ = -1;
  return *this;
}

PreparedMessage::~PreparedMessage() {
  discard();
}

void PreparedMessage::discard() {
  if (header_fd_ >= 0) {
    close(header_fd_);
    unlink(spool_temp_path(layout_.header_path(id_)).c_str());
  }
  if (data_fd_ >= 0) {
    unlink(layout_.data_path(id_).c_str());
    close(data_fd_);  // last: closing releases the lock
  }
  data_fd_ = header_fd_ = -1;
}

util::Result<PreparedMessage> spool_prepare(SpoolData&& data, const SpoolMessage& msg) {
  if (msg.id != data.id()) return util::Error{"spool id mismatch: " + msg.id, {}};
  auto flushed = data.flush();
  if (!flushed) return flushed.error();
  PreparedMessage p;
  p.layout_ = data.layout();
  p.id_ = data.id();
  p.data_fd_ = data.release_fd();
  std::string path = spool_temp_path(p.layout_.header_path(p.id_));
  p.header_fd_ = spool_create(path);
  if (p.header_fd_ < 0)
    return util::Error{"cannot create " + path + ": " + util::errno_text(errno), {}};
  if (!spool_write_all(p.header_fd_, spool_header_format(msg)))
    return util::Error{"write error on " + path + ": " + util::errno_text(errno), {}};
  return p;
}

}  // namespace engine

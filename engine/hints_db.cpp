// engine/hints_db.cpp — see hints_db.h.
#include "engine/hints_db.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <vector>

#include "util/hash.h"
#include "util/strings.h"

namespace engine {
namespace {

constexpr std::string_view kHeader = "facteur-hints 1\n";
constexpr size_t kFrame = 4 + 8;               // length, checksum
constexpr size_t kFixed = 1 + 8 + 4;           // op, time, key length
constexpr uint32_t kMaxPayload = 16 << 20;     // a record is a few hundred bytes at most
constexpr uint64_t kCompactSlack = 64 * 1024;  // never compact a log smaller than this
constexpr uint8_t kPut = 1, kDelete = 2;

util::Error sys_error(const std::string& what, const std::string& path) {
  return util::Error{what + " " + path + ": " + util::errno_text(errno), {}};
}

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(const std::string& in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::string encode(uint8_t op, int64_t time, std::string_view key, std::string_view data) {
  std::string payload;
  payload += static_cast<char>(op);
  put_le(payload, static_cast<uint64_t>(time), 8);
  put_le(payload, key.size(), 4);
  payload.append(key);
  payload.append(data);
  std::string rec;
  put_le(rec, payload.size(), 4);
  put_le(rec, util::fnv1a64(payload), 8);
  return rec + payload;
}

size_t record_cost(const std::string& key, const HintsRecord& r) {
  return kFrame + kFixed + key.size() + r.data.size();
}

bool write_all(int fd, const std::string& s, off_t at) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::pwrite(fd, s.data() + done, s.size() - done, at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

bool read_from(int fd, off_t at, size_t size, std::string& out) {
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pread(fd, out.data() + done, size - done, at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return true;
}

bool make_dir(const std::string& dir) {
  return ::mkdir(dir.c_str(), 0750) == 0 || errno == EEXIST;
}

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

// Open databases by path, with the process that opened them: a child process gets its own
// object (the inherited one's mutex may have been held by a thread that does not exist in it).
struct Registered {
  pid_t pid = 0;
  std::weak_ptr<HintsDb> db;
};

std::map<std::string, Registered>& registry() {
  static std::map<std::string, Registered> r;
  return r;
}

}  // namespace

// The in-process mutex, then the flock on the lockfile.
class HintsDb::Lock {
 public:
  explicit Lock(HintsDb& db) : db_(db), guard_(db.mu_) {}
  ~Lock() {
    if (locked_) ::flock(db_.lock_fd_, LOCK_UN);
  }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  util::Result<bool> acquire(bool exclusive) {
    if (auto r = db_.open_lockfile(); !r) return r;
    while (::flock(db_.lock_fd_, exclusive ? LOCK_EX : LOCK_SH) != 0) {
      if (errno != EINTR) return sys_error("failed to lock", db_.path_ + ".lockfile");
    }
    locked_ = true;
    return db_.sync_index();
  }

 private:
  HintsDb& db_;
  std::lock_guard<std::mutex> guard_;
  bool locked_ = false;
};

HintsDb::HintsDb(std::string path, HintsOptions options)
    : path_(std::move(path)), opts_(std::move(options)) {}

HintsDb::~HintsDb() {
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

util::Result<std::shared_ptr<HintsDb>> HintsDb::open(const std::string& spool_directory,
                                                     const std::string& name,
                                                     HintsOptions options) {
  std::string dir = spool_directory + "/db";
  // As Exim does, the spool directory is made when missing (its parent must exist): a -bh
  // run on a new configuration keeps its ratelimit data.
  if (!make_dir(spool_directory)) return sys_error("failed to create", spool_directory);
  if (!make_dir(dir)) return sys_error("failed to create", dir);
  std::string path = dir + "/" + name + ".fdb";
  std::lock_guard<std::mutex> g(registry_mutex());
  Registered& reg = registry()[path];
  if (reg.pid == ::getpid()) {
    if (auto existing = reg.db.lock()) return existing;
  }
  std::shared_ptr<HintsDb> db(new HintsDb(path, std::move(options)));
  {
    Lock lock(*db);
    if (auto r = lock.acquire(true); !r) return r.error();
  }
  reg = {::getpid(), db};
  return db;
}

util::Result<bool> HintsDb::open_lockfile() {
  if (lock_fd_ >= 0 && lock_pid_ == ::getpid()) return true;
  if (lock_fd_ >= 0) ::close(lock_fd_);  // inherited over fork: this process needs its own
  std::string lf = path_ + ".lockfile";
  lock_fd_ = ::open(lf.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (lock_fd_ < 0) return sys_error("failed to open", lf);
  lock_pid_ = ::getpid();
  return true;
}

util::Result<bool> HintsDb::sync_index() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno != ENOENT) return sys_error("failed to stat", path_);
    return reload();  // gone: start again (reload creates it)
  }
  if (fd_ < 0 || st.st_ino != ino_ || st.st_dev != dev_ ||
      static_cast<uint64_t>(st.st_size) < read_to_) {
    return reload();
  }
  if (static_cast<uint64_t>(st.st_size) > read_to_) {
    std::string tail;
    read_from(fd_, static_cast<off_t>(read_to_), static_cast<size_t>(st.st_size) - read_to_, tail);
    read_records(tail, 0, read_to_);
  }
  return true;
}

util::Result<bool> HintsDb::reload() {
  if (fd_ >= 0) ::close(fd_);
  index_.clear();
  live_bytes_ = read_to_ = 0;
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0) return sys_error("failed to open", path_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return sys_error("failed to stat", path_);
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  std::string all;
  read_from(fd_, 0, static_cast<size_t>(st.st_size), all);
  if (all.size() < kHeader.size()) {  // new (or a header torn by a crash): start it
    if (::ftruncate(fd_, 0) != 0 || !write_all(fd_, std::string(kHeader), 0)) {
      return sys_error("failed to write", path_);
    }
    read_to_ = kHeader.size();
    return true;
  }
  if (all.compare(0, kHeader.size(), kHeader) != 0) {
    return util::Error{path_ + " is not a facteur hints database", {}};
  }
  read_records(all, kHeader.size(), 0);
  return true;
}

// Applies the complete, intact records of `bytes` (which starts at file offset `base`) from
// `pos` on; stops at the first torn one. read_to_ ends up after the last good record.
void HintsDb::read_records(const std::string& bytes, size_t pos, uint64_t base) {
  while (bytes.size() - pos >= kFrame) {
    uint64_t len = get_le(bytes, pos, 4);
    if (len < kFixed || len > kMaxPayload || bytes.size() - pos - kFrame < len) break;
    std::string payload = bytes.substr(pos + kFrame, len);
    if (util::fnv1a64(payload) != get_le(bytes, pos + 4, 8)) break;
    uint64_t klen = get_le(payload, 9, 4);
    if (klen > len - kFixed) break;
    uint8_t op = static_cast<uint8_t>(payload[0]);
    std::string key = payload.substr(kFixed, klen);
    auto it = index_.find(key);
    if (it != index_.end()) {
      live_bytes_ -= record_cost(it->first, it->second);
      index_.erase(it);
    }
    if (op == kPut) {
      HintsRecord r{static_cast<int64_t>(get_le(payload, 1, 8)), payload.substr(kFixed + klen)};
      live_bytes_ += record_cost(key, r);
      index_.emplace(std::move(key), std::move(r));
    }
    pos += kFrame + len;
  }
  read_to_ = base + pos;
}

util::Result<bool> HintsDb::append(uint8_t op, std::string_view key, std::string_view data) {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return sys_error("failed to stat", path_);
  if (static_cast<uint64_t>(st.st_size) > read_to_ &&
      ::ftruncate(fd_, static_cast<off_t>(read_to_)) != 0) {  // a torn record from a crash
    return sys_error("failed to truncate", path_);
  }
  std::string rec = encode(op, now(), key, data);
  if (!write_all(fd_, rec, static_cast<off_t>(read_to_)))
    return sys_error("failed to write", path_);
  read_records(rec, 0, read_to_);
  if (read_to_ > 2 * live_bytes_ + kCompactSlack || index_.size() > opts_.max_records) {
    return compact_locked();
  }
  return true;
}

// Writes the live records to a new file and renames it over the log.
util::Result<bool> HintsDb::compact_locked() {
  std::vector<std::pair<const std::string*, const HintsRecord*>> keep;
  for (const auto& [k, r] : index_)
    if (!expired(r)) keep.emplace_back(&k, &r);
  if (keep.size() > opts_.max_records) {  // the newest ones stay
    std::nth_element(
        keep.begin(), keep.begin() + static_cast<long>(opts_.max_records), keep.end(),
        [](const auto& a, const auto& b) { return a.second->written_us > b.second->written_us; });
    keep.resize(opts_.max_records);
  }
  std::string out(kHeader);
  for (const auto& [k, r] : keep) out += encode(kPut, r->written_us, *k, r->data);
  std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return sys_error("failed to create", tmp);
  bool ok = write_all(fd, out, 0) && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return sys_error("failed to rewrite", path_);
  }
  return reload();
}

bool HintsDb::expired(const HintsRecord& r) const {
  return opts_.max_age_seconds > 0 && now() - r.written_us > opts_.max_age_seconds * 1000000;
}

util::Result<std::optional<HintsRecord>> HintsDb::get(std::string_view key) {
  Lock lock(*this);
  if (auto r = lock.acquire(false); !r) return r.error();
  auto it = index_.find(std::string(key));
  if (it == index_.end() || expired(it->second)) return std::optional<HintsRecord>();
  return std::optional<HintsRecord>(it->second);
}

util::Result<bool> HintsDb::put(std::string_view key, std::string_view data) {
  Lock lock(*this);
  if (auto r = lock.acquire(true); !r) return r;
  return append(kPut, key, data);
}

util::Result<bool> HintsDb::remove(std::string_view key) {
  Lock lock(*this);
  if (auto r = lock.acquire(true); !r) return r;
  if (!index_.count(std::string(key))) return false;
  return append(kDelete, key, {});
}

util::Result<bool> HintsDb::update(std::string_view key, const Updater& fn) {
  Lock lock(*this);
  if (auto r = lock.acquire(true); !r) return r;
  std::optional<HintsRecord> current;
  auto it = index_.find(std::string(key));
  if (it != index_.end() && !expired(it->second)) current = it->second;
  std::optional<std::string> next = fn(current);
  if (!next) return false;
  return append(kPut, key, *next);
}

util::Result<bool> HintsDb::for_each(
    const std::function<void(std::string_view key, const HintsRecord&)>& fn) {
  Lock lock(*this);
  if (auto r = lock.acquire(false); !r) return r;
  for (const auto& [k, r] : index_)
    if (!expired(r)) fn(k, r);
  return true;
}

util::Result<bool> HintsDb::compact() {
  Lock lock(*this);
  if (auto r = lock.acquire(true); !r) return r;
  return compact_locked();
}

int64_t HintsDb::now() const {
  if (opts_.clock) return opts_.clock();
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace engine

// engine/spool_scan.cpp — reading the queue: listing ids, reading -H files, start-up
// recovery (spool.h).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>

#include "engine/message_id.h"
#include "engine/spool.h"
#include "engine/spool_io.h"
#include "util/strings.h"

namespace engine {

namespace {

constexpr size_t kMaxHeaderFile = 64 * 1024 * 1024;

std::atomic<uint64_t> g_dir_scans{0}, g_header_reads{0};

std::vector<std::string> dir_names(const std::string& dir) {
  g_dir_scans.fetch_add(1, std::memory_order_relaxed);
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) out.emplace_back(e->d_name);
  closedir(d);
  return out;
}

// input/ and, with split_spool_directory, the one-character subdirectories present.
std::vector<std::string> input_dirs(const SpoolLayout& layout) {
  std::string input = layout.directory + "/input";
  std::vector<std::string> dirs{input};
  if (!layout.split) return dirs;
  for (const auto& n : dir_names(input))
    if (n.size() == 1 && n != ".") dirs.push_back(input + "/" + n);
  return dirs;
}

// What is in one directory, by id: which of -D, -H and temporary files exist.
struct Files {
  bool data = false, header = false, journal = false;
  std::vector<std::string> temps;  // names
};

std::map<std::string, Files> scan(const std::string& dir) {
  std::map<std::string, Files> out;
  for (const auto& n : dir_names(dir)) {
    std::string_view name(n);
    bool temp = name.ends_with(".tmp");
    if (temp) name.remove_suffix(4);
    if (name.size() != 18 || name[16] != '-' || !message_id_valid(name.substr(0, 16))) continue;
    char kind = name[17];
    Files& f = out[std::string(name.substr(0, 16))];
    if (temp && (kind == 'D' || kind == 'H'))
      f.temps.push_back(n);
    else if (kind == 'D')
      f.data = true;
    else if (kind == 'H')
      f.header = true;
    else if (kind == 'J')
      f.journal = true;
  }
  return out;
}

void recover_dir(const std::string& dir, RecoveryReport& rep) {
  for (auto& [id, f] : scan(dir)) {
    std::vector<std::string> doomed = f.temps;
    if (f.data && !f.header) doomed.push_back(id + "-D");
    if (f.header && !f.data) doomed.push_back(id + "-H");
    if (f.journal && (!f.header || !f.data)) doomed.push_back(id + "-J");
    if (doomed.empty()) continue;
    // A writer or a delivery holds a lock on the -D file (temporary or final).
    std::string d = dir + "/" + id + "-D";
    if (spool_is_locked(d) || spool_is_locked(spool_temp_path(d))) {
      for (auto& n : doomed) rep.skipped.push_back(dir + "/" + n);
      continue;
    }
    for (auto& n : doomed) {
      std::string path = dir + "/" + n;
      if (unlink(path.c_str()) == 0) rep.removed.push_back(path);
    }
  }
}

}  // namespace

util::Result<RecoveryReport> spool_recover(const SpoolLayout& layout) {
  RecoveryReport rep;
  std::string input = layout.directory + "/input";
  struct stat st {};
  if (stat(input.c_str(), &st) != 0) {
    if (errno == ENOENT) return rep;
    return util::Error{"cannot read " + input + ": " + util::errno_text(errno), {}};
  }
  for (const auto& dir : input_dirs(layout)) recover_dir(dir, rep);
  if (!rep.removed.empty()) {
    for (const auto& dir : input_dirs(layout)) (void)spool_sync_dir(dir);
  }
  return rep;
}

std::vector<std::string> spool_list_ids(const SpoolLayout& layout) {
  std::vector<std::string> ids;
  for (const auto& dir : input_dirs(layout)) {
    for (const auto& n : dir_names(dir)) {
      std::string_view name(n);
      if (name.size() == 18 && name.ends_with("-H") && message_id_valid(name.substr(0, 16)))
        ids.emplace_back(name.substr(0, 16));
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

SpoolHeaderRead spool_read_header_partial(const SpoolLayout& layout, std::string_view id) {
  g_header_reads.fetch_add(1, std::memory_order_relaxed);
  SpoolHeaderRead r;
  std::string path = layout.header_path(id);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.read_errno = errno;
    r.error = "spool file " + path + ": " + util::errno_text(errno);
    return r;
  }
  std::string text;
  char buf[65536];
  ssize_t n = 0;
  while (text.size() < kMaxHeaderFile && (n = read(fd, buf, sizeof buf)) > 0)
    text.append(buf, static_cast<size_t>(n));
  int e = errno;
  close(fd);
  r.file_size = static_cast<int64_t>(text.size());
  if (n < 0) {
    r.read_errno = e;
    r.error = "read error on " + path + ": " + util::errno_text(e);
  } else if (text.size() >= kMaxHeaderFile) {
    r.error = "spool file " + path + " is too big";
  } else {
    r.error = spool_header_parse_into(text, id, r.msg, &r.envelope_ok);
  }
  return r;
}

util::Result<SpoolMessage> spool_read_header(const SpoolLayout& layout, std::string_view id) {
  SpoolHeaderRead r = spool_read_header_partial(layout, id);
  if (!r.error.empty()) return util::Error{r.error, {}};
  return std::move(r.msg);
}

SpoolScanCounts spool_scan_counts() {
  return {g_dir_scans.load(std::memory_order_relaxed),
          g_header_reads.load(std::memory_order_relaxed)};
}

int64_t spool_data_size(const SpoolLayout& layout, std::string_view id) {
  struct stat st {};
  if (stat(layout.data_path(id).c_str(), &st) != 0) return -1;
  int64_t first_line = static_cast<int64_t>(id.size()) + 3;  // "ID-D\n"
  return st.st_size >= first_line ? st.st_size - first_line : 0;
}

}  // namespace engine

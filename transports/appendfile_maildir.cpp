// transports/appendfile_maildir.cpp — deliveries that create a new file in a directory (spec
// 26.4, 26.5, 26.9): maildir (tmp/ then new/, maildir_tag, maildirfolder, quota and
// maildirsize) and plain files named by directory_file.
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>

#include "transports/appendfile.h"
#include "transports/maildir_quota.h"
#include "util/strings.h"

namespace transports::appendfile {
namespace {

// rename() that never replaces an existing file (renameat2 RENAME_NOREPLACE, with link()
// and unlink() where the file system lacks it).
bool rename_new(const std::string& from, const std::string& to) {
  if (syscall(SYS_renameat2, AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  if (link(from.c_str(), to.c_str()) != 0) return false;
  unlink(from.c_str());
  return true;
}

// A host name fit for maildir file names ('/' and ':' encoded, as the maildir spec asks).
std::string maildir_host(const std::string& host) {
  std::string out;
  for (char c : host) {
    if (c == '/')
      out += "\\057";
    else if (c == ':')
      out += "\\072";
    else
      out += c;
  }
  return out;
}

// "<sec>.H<usec>P<pid>Q<n>.<host>": unique across threads and processes of this host.
std::string unique_name(const std::string& host) {
  static std::atomic<unsigned long> counter{0};
  timeval tv{};
  gettimeofday(&tv, nullptr);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%ld.H%ldP%ldQ%lu.", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec), static_cast<long>(getpid()), counter.fetch_add(1));
  return buf + maildir_host(host);
}

std::string host_of(const Context& c) {
  std::string h = c.services.primary_hostname;
  if (h.empty()) c.ex.vars().get("primary_hostname", h);
  return h.empty() ? "localhost" : h;
}

// Creates DIR/NAME exclusively (retrying with new names); `name` receives the name used.
AddressResult create_unique(Context& c, const std::string& dir, std::string& name, int& fd) {
  for (int i = 0; i < c.opt.maildir_retries; ++i) {
    name = unique_name(host_of(c));
    fd = open((dir + "/" + name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
              c.opt.mode);
    if (fd >= 0) {
      fchmod(fd, c.opt.mode);
      return ok_result();
    }
    if (errno != EEXIST) return write_error("failed to create " + dir + "/" + name, errno);
  }
  return defer_result("failed to create a unique file in " + dir);
}

// Writes the message to `fd` and syncs it; the byte count in `written`.
AddressResult write_and_sync(Context& c, const Writing& w, int fd, const std::string& path,
                             int64_t& written) {
  int err = 0;
  Sink sink = fd_sink(fd, err);
  auto r = write_message(*w.message, w.edits, w.write, sink);
  if (!r && err == 0) return defer_result(r.error().message);
  if (!r) return write_error("error while writing to " + path, err);
  if (!c.durability.sync_file(fd)) return write_error("failed to sync " + path, errno);
  written = *r;
  return ok_result();
}

// maildir_tag (spec 26.6), expanded after the write: printing characters only, a leading ':'
// added before an alphanumeric start. Empty means no tag.
bool maildir_tag(Context& c, int64_t size, std::string& tag, AddressResult& fail) {
  tag.clear();
  if (!c.opt.maildir_tag) return true;
  c.ex.vars().set("message_size", std::to_string(size));
  std::string v, err;
  ExpandOutcome r = c.ex.expand(*c.opt.maildir_tag, v, err);
  c.ex.vars().unset("message_size");
  if (r == ExpandOutcome::Forced) return true;
  if (r == ExpandOutcome::Error) {
    fail = defer_result("Expansion of \"" + c.opt.maildir_tag->text() + "\" (maildir_tag for " +
                        c.ex.transport_name() + " transport) failed: " + err);
    return false;
  }
  for (char ch : v) {
    if (ch == '/') {
      fail = defer_result("maildir_tag contains \"/\": " + v);
      return false;
    }
    if (std::isprint(static_cast<unsigned char>(ch))) tag += ch;
  }
  if (!tag.empty() && std::isalnum(static_cast<unsigned char>(tag[0]))) tag.insert(0, ":");
  return true;
}

bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

// Makes DIR and DIR/{tmp,new,cur}, and DIR/maildirfolder when the regex asks for it.
AddressResult make_maildir(Context& c, const std::string& dir) {
  const Options& o = c.opt;
  bool missing = !exists(dir + "/tmp") || !exists(dir + "/new") || !exists(dir + "/cur");
  if (missing) {
    if (!o.create_directory) return defer_result("mailbox directory " + dir + " does not exist");
    if (!exists(dir)) {
      if (std::string err = check_create_file(o.create_file, c.prep.home, dir); !err.empty())
        return defer_result(err);
    }
    for (const char* sub : {"/tmp", "/new", "/cur"})
      if (std::string err = make_directories(dir + sub, o.directory_mode, true, c.durability);
          !err.empty())
        return defer_result(err);
  }
  std::vector<std::string> caps;
  if (o.maildirfolder_create_regex && o.maildirfolder_create_regex->search(dir, 0, caps) &&
      !exists(dir + "/maildirfolder")) {
    int fd = open((dir + "/maildirfolder").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, o.mode);
    if (fd < 0) return write_error("failed to create " + dir + "/maildirfolder", errno);
    close(fd);
  }
  return ok_result();
}

// Current usage of the quota directory; a Defer result when the quota is already reached.
AddressResult check_quota(Context& c, const Target& t, const std::string& dir, int64_t msg_size,
                          std::string& qdir, DirUsage& usage) {
  const Options& o = c.opt;
  qdir = !t.quota_directory.empty()       ? t.quota_directory
         : exists(dir + "/maildirfolder") ? parent_of(dir)
                                          : dir;
  if (t.use_size_file) {
    auto u = maildirsize_read(qdir, t.quota, t.quota_filecount, o.quota_size_regex.get(),
                              o.maildir_quota_directory_regex.get(), o.mode);
    if (!u) return defer_result(u.error().message);
    usage = *u;
  } else if (t.quota > 0 || t.warn_threshold > 0 || t.quota_filecount > 0) {
    usage = directory_usage(qdir, o.quota_size_regex.get(), nullptr);
  }
  if (t.mailbox_size >= 0) usage.size = t.mailbox_size;
  if (t.mailbox_filecount >= 0) usage.count = t.mailbox_filecount;
  bool over = t.quota > 0 &&
              (o.quota_is_inclusive ? usage.size + msg_size > t.quota : usage.size > t.quota);
  over = over || (t.quota_filecount > 0 && usage.count + 1 > t.quota_filecount);
  if (!over || t.quota_no_check) return ok_result();
  AddressResult r = defer_result("mailbox is full");
  r.error = ErrorKind::Quota;
  return r;
}

// The quota check and the new file, shared by maildir and plain directory deliveries.
struct NewFile {
  std::string name, path, qdir;
  DirUsage usage;
  int fd = -1;
};

AddressResult start_new_file(Context& c, const Target& t, const Writing& w, const std::string& dir,
                             const std::string& in, NewFile& f) {
  if (AddressResult r = check_quota(c, t, dir, message_size(w), f.qdir, f.usage);
      r.outcome != Outcome::Ok)
    return r;
  if (AddressResult r = create_unique(c, in, f.name, f.fd); r.outcome != Outcome::Ok) return r;
  f.path = in + "/" + f.name;
  return ok_result();
}

}  // namespace

AddressResult deliver_maildir(Context& c, const Target& t, const Writing& w) {
  const std::string& dir = t.path;
  if (AddressResult r = make_maildir(c, dir); r.outcome != Outcome::Ok) return r;
  NewFile f;
  if (AddressResult r = start_new_file(c, t, w, dir, dir + "/tmp", f); r.outcome != Outcome::Ok)
    return r;
  const std::string& name = f.name;
  const std::string& tmp = f.path;
  std::string& qdir = f.qdir;
  DirUsage& usage = f.usage;
  int fd = f.fd;
  int64_t written = 0;
  AddressResult r = write_and_sync(c, w, fd, tmp, written);
  close(fd);
  std::string tag;
  if (r.outcome == Outcome::Ok && !maildir_tag(c, written, tag, r)) r.outcome = Outcome::Defer;
  if (r.outcome != Outcome::Ok) {
    unlink(tmp.c_str());
    return r;
  }
  std::string target = dir + "/new/" + name + tag;
  bool moved = rename_new(tmp, target);
  if (!moved && errno == ENAMETOOLONG && !tag.empty())
    moved = rename_new(tmp, dir + "/new/" + name);
  if (!moved) {
    AddressResult e = write_error("failed to rename " + tmp + " as " + target, errno);
    unlink(tmp.c_str());
    return e;
  }
  if (!c.durability.sync_directory(dir + "/new"))
    return write_error("failed to sync " + dir + "/new", errno);
  if (t.use_size_file) {
    if (auto a = maildirsize_add(qdir, written, 1); !a && c.services.debug)
      c.services.debug(a.error().message);
  }
  maybe_warn(c, t, usage.size, usage.size + written);
  return ok_result();
}

AddressResult deliver_new_file(Context& c, const Target& t, const Writing& w) {
  const Options& o = c.opt;
  const std::string& dir = t.path;
  if (!exists(dir)) {
    if (!o.create_directory) return defer_result("directory " + dir + " does not exist");
    if (std::string err = check_create_file(o.create_file, c.prep.home, dir); !err.empty())
      return defer_result(err);
    if (std::string err = make_directories(dir, o.directory_mode, true, c.durability); !err.empty())
      return defer_result(err);
  }
  NewFile f;
  if (AddressResult r = start_new_file(c, t, w, dir, dir, f); r.outcome != Outcome::Ok) return r;
  const std::string& tmp = f.path;
  DirUsage& usage = f.usage;
  int fd = f.fd;
  int64_t written = 0;
  AddressResult r = write_and_sync(c, w, fd, tmp, written);
  struct stat st {};
  fstat(fd, &st);
  close(fd);
  std::string final_name, err;
  if (r.outcome == Outcome::Ok) {
    c.ex.vars().set("inode", std::to_string(st.st_ino));
    ExpandOutcome e = c.ex.expand(*o.directory_file, final_name, err);
    c.ex.vars().unset("inode");
    if (e != ExpandOutcome::Ok || final_name.empty() || final_name.find('/') != std::string::npos)
      r = defer_result("Expansion of directory_file for " + c.ex.transport_name() +
                       " transport failed or gave a bad name: " + (err.empty() ? final_name : err));
  }
  if (r.outcome == Outcome::Ok && !rename_new(tmp, dir + "/" + final_name))
    r = write_error("failed to rename " + tmp + " as " + dir + "/" + final_name, errno);
  if (r.outcome != Outcome::Ok) {
    unlink(tmp.c_str());
    return r;
  }
  if (!c.durability.sync_directory(dir)) return write_error("failed to sync " + dir, errno);
  maybe_warn(c, t, usage.size, usage.size + written);
  return ok_result();
}

}  // namespace transports::appendfile

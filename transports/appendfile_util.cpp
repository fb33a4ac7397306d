// transports/appendfile_util.cpp — pieces shared by appendfile's file and directory
// deliveries: creating directories, create_file, write errors, the quota warning.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "transports/appendfile.h"
#include "transports/header_addresses.h"
#include "util/strings.h"

namespace transports::appendfile {
namespace {

constexpr std::string_view kWarnMessage =
    "To: $local_part@$domain\n"
    "Subject: Your mailbox\n\n"
    "This message is automatically created by mail delivery software.\n\n"
    "The size of your mailbox has exceeded a warning threshold that is\n"
    "set by the system administrator.\n";

// Lexically normalised absolute path: no ".", "..", or repeated slashes.
std::string normalise(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string p = path.substr(i, j - i);
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!p.empty() && p != ".") {
      parts.push_back(p);
    }
    i = j + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

bool within(const std::string& dir, const std::string& path) {
  std::string d = normalise(dir);
  if (d == "/") return true;
  return path.size() > d.size() && path.compare(0, d.size(), d) == 0 && path[d.size()] == '/';
}

}  // namespace

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string make_directories(const std::string& path, mode_t mode, bool include_last,
                             Durability& d) {
  std::string target = include_last ? path : parent_of(path);
  struct stat st {};
  if (stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return target + " is not a directory";
  }
  std::string parent = parent_of(target);
  if (parent != target) {
    if (std::string err = make_directories(parent, mode, true, d); !err.empty()) return err;
  }
  if (mkdir(target.c_str(), mode) != 0 && errno != EEXIST)
    return "failed to create directory " + target + ": " + util::errno_text(errno);
  chmod(target.c_str(), mode);  // mkdir() applied the umask
  if (!d.sync_directory(parent))
    return "failed to sync directory " + parent + ": " + util::errno_text(errno);
  return {};
}

std::string check_create_file(const std::string& create_file, const std::string& home,
                              const std::string& path) {
  if (create_file == "anywhere") return {};
  std::string base = create_file[0] == '/' ? create_file : home;
  if (base.empty()) return "cannot check \"create_file\" (" + create_file + "): no home directory";
  bool below = create_file != "inhome";
  std::string p = below ? normalise(path) : path;
  if (!within(base, p)) return "file or directory " + path + " is not within " + base;
  return {};
}

Sink fd_sink(int fd, int& err) {
  return [fd, &err](std::string_view s) {
    while (!s.empty()) {
      ssize_t n = write(fd, s.data(), s.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        err = errno;
        return false;
      }
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  };
}

int64_t message_size(const Writing& w) {
  return w.message->envelope().header_size() + w.message->body_size();
}

AddressResult write_error(const std::string& what, int err) {
  if (err == ENOSPC || err == EDQUOT) {
    AddressResult r = defer_result("mailbox is full (" + what + ")", err);
    r.error = ErrorKind::Quota;
    return r;
  }
  return defer_result(what + ": " + util::errno_text(err), err);
}

void maybe_warn(Context& c, const Target& t, int64_t before, int64_t after) {
  if (t.warn_threshold <= 0 || before >= t.warn_threshold || after < t.warn_threshold) return;
  std::string text, err;
  ExpandOutcome r = c.opt.quota_warn_message ? c.ex.expand(*c.opt.quota_warn_message, text, err)
                                             : c.ex.expand_text(kWarnMessage, text, err);
  auto debug = [&](const std::string& s) {
    if (c.services.debug) c.services.debug(s);
  };
  if (r != ExpandOutcome::Ok) return debug("quota_warn_message expansion failed: " + err);
  if (!util::starts_with_ci(text, "To:"))
    return debug("quota_warn_message does not start with \"To:\"");
  if (!c.services.submit) return debug("no way to send the quota warning");
  size_t eol = text.find('\n');
  NewMessage m;
  m.recipients = parse_address_list(text.substr(3, eol == std::string::npos ? eol : eol - 3));
  std::string qualify;
  c.ex.vars().get("qualify_domain", qualify);
  m.text = "From: Mail Delivery System <Mailer-Daemon@" + qualify + ">\n" + text;
  if (auto id = c.services.submit(m); !id) debug("quota warning not sent: " + id.error().message);
}

}  // namespace transports::appendfile

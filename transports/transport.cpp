// transports/transport.cpp — the driver registry, the message source and the default
// durability of the transport family.
#include "transports/transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "engine/spool_io.h"
#include "util/strings.h"

namespace transports {
namespace {

std::map<std::string_view, TransportDescriptor>& registry() {
  static std::map<std::string_view, TransportDescriptor> r;
  return r;
}

// Closes a descriptor at the end of a scope.
struct FdCloser {
  int fd = -1;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string_view error_kind_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::None:
      return "";
    case ErrorKind::Quota:
      return "quota";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::TimeoutConnect:
      return "timeout_connect";
    case ErrorKind::Refused:
      return "refused";
    case ErrorKind::LostConnection:
      return "lost_connection";
    case ErrorKind::Mail4xx:
      return "mail_4xx";
    case ErrorKind::Rcpt4xx:
      return "rcpt_4xx";
    case ErrorKind::Data4xx:
      return "data_4xx";
    case ErrorKind::AuthFailed:
      return "auth_failed";
    case ErrorKind::TlsRequired:
      return "tls_required";
    case ErrorKind::Other:
      return "other";
  }
  return "";
}

// ----- MessageSource -----

util::Result<MessageSource> MessageSource::open(const engine::SpoolLayout& layout, std::string id) {
  auto h = engine::spool_read_header(layout, id);
  if (!h) return h.error();
  MessageSource m;
  m.msg_ = std::move(*h);
  m.data_path_ = layout.data_path(id);
  int fd = ::open(m.data_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return util::Error{"failed to open " + m.data_path_ + ": " + util::errno_text(errno), {}};
  char first[128];
  ssize_t n = pread(fd, first, sizeof first, 0);
  struct stat st {};
  fstat(fd, &st);
  m.data_fd_ = std::shared_ptr<const int>(new int(fd), [](const int* p) {
    close(*p);
    delete p;
  });
  std::string want = id + "-D\n";
  if (n < static_cast<ssize_t>(want.size()) || std::string_view(first, want.size()) != want)
    return util::Error{"format error in spool file " + id + "-D", {}};
  m.body_offset_ = static_cast<int64_t>(want.size());
  m.body_size_ = st.st_size - m.body_offset_;
  return m;
}

MessageSource MessageSource::from_memory(engine::SpoolMessage msg, std::string body) {
  MessageSource m;
  m.msg_ = std::move(msg);
  m.body_size_ = static_cast<int64_t>(body.size());
  m.body_ = std::move(body);
  return m;
}

util::Result<bool> MessageSource::read_body(
    const std::function<bool(std::string_view)>& sink) const {
  if (data_path_.empty()) {
    constexpr size_t kChunk = 64 * 1024;
    for (size_t i = 0; i < body_.size(); i += kChunk)
      if (!sink(std::string_view(body_).substr(i, kChunk))) return false;
    return true;
  }
  FdCloser f;
  int fd = data_fd_ ? *data_fd_ : (f.fd = ::open(data_path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd < 0)
    return util::Error{"failed to open " + data_path_ + ": " + util::errno_text(errno), {}};
  std::string buf(128 * 1024, '\0');
  off_t pos = static_cast<off_t>(body_offset_);
  while (true) {
    ssize_t n = pread(fd, buf.data(), buf.size(), pos);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return util::Error{"failed to read " + data_path_ + ": " + util::errno_text(errno), {}};
    if (n == 0) return true;
    pos += n;
    if (!sink(std::string_view(buf.data(), static_cast<size_t>(n)))) return false;
  }
}

// ----- Durability -----

bool Durability::sync_file(int fd) {
  return fsync(fd) == 0;
}

bool Durability::sync_directory(const std::string& path) {
  return engine::spool_sync_dir(path);
}

// ----- registry -----

TransportRegistrar::TransportRegistrar(const TransportDescriptor& d) {
  engine::config::register_driver({engine::config::DriverKind::Transport, d.name, d.options});
  if (!registry().emplace(d.name, d).second) {
    std::fprintf(stderr, "facteur: transport driver %.*s registered twice\n",
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
}

const TransportDescriptor* find_transport_driver(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<std::string_view> transport_driver_names() {
  std::vector<std::string_view> out;
  for (const auto& [name, d] : registry()) out.push_back(name);
  return out;
}

util::Result<std::unique_ptr<Transport>> transport_create(const engine::config::Config& cfg,
                                                          const engine::config::Instance& inst) {
  const TransportDescriptor* d = find_transport_driver(inst.driver);
  if (!d) {
    return util::Error{
        "transport " + inst.name + ": the " + inst.driver + " transport driver is not available",
        inst.loc};
  }
  return d->factory(cfg, inst);
}

util::Result<std::map<std::string, std::unique_ptr<Transport>, std::less<>>> transports_create(
    const engine::config::Config& cfg) {
  std::map<std::string, std::unique_ptr<Transport>, std::less<>> out;
  std::string errors;
  for (const engine::config::Instance& inst : cfg.transports) {
    auto t = transport_create(cfg, inst);
    if (!t) {
      errors += (errors.empty() ? "" : "\n") + engine::config::format_error(t.error());
      continue;
    }
    out.emplace(inst.name, std::move(*t));
  }
  if (!errors.empty()) return util::Error{errors, {}};
  return out;
}

}  // namespace transports

// engine/smtp/stdio.cpp — -bs and -bh: a Session between stdin and stdout (see stdio.h).
#include "engine/smtp/stdio.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

#include "engine/log.h"
#include "engine/smtp/auth_services.h"
#include "engine/smtp/session.h"
#include "engine/smtp/spool_message.h"
#include "engine/spool_config.h"
#include "engine/variables.h"
#include "engine/verify.h"
#include "util/debug.h"
#include "util/ip.h"

namespace engine::smtp {
namespace {

class StdioServices : public AuthenticatingServices {
 public:
  StdioServices(const config::Config& cfg, bool host_checking)
      : AuthenticatingServices(cfg), cfg_(cfg), host_checking_(host_checking) {}
  // -bs: the message goes to the spool (engine/spool.h); 250 only once it is durable.
  bool store_message(const Transaction& t, const std::string& id, std::string& error) override {
    if (!committer_) {
      engine::Variables vars(&cfg_);
      lang::EvalContext ctx;
      ctx.vars = &vars;
      auto layout = spool_layout_from_config(cfg_, ctx);
      if (!layout) {
        error = layout.error().message;
        return false;
      }
      layout_ = layout.value();
      if (auto st = spool_make_dirs(layout_); !st) {
        error = st.error().message;
        return false;
      }
      committer_ = std::make_unique<SpoolCommitter>();
    }
    auto st = store_transaction(*committer_, layout_, t, id);
    if (!st) error = st.error().message;
    return st.ok();
  }
  VerifyResult verify_address(const VerifyRequest& req, lang::EvalContext& ctx) override {
    return verifier_.verify(req, ctx);
  }
  AddressVerifier& verifier() { return verifier_; }
  // -bh: "LOG: " lines on stderr, no log file; -bs: the configured logs.
  void log(std::string_view line) override { write(kLogMain, line); }
  void log_reject(std::string_view line) override { write(kLogMain | kLogReject, line); }

 private:
  void write(unsigned dests, std::string_view line) {
    if (host_checking_) {
      std::fprintf(stderr, "LOG: %.*s\n", static_cast<int>(line.size()), line.data());
      return;
    }
    if (!logger_) {
      engine::Variables vars(&cfg_);
      lang::EvalContext ctx;
      ctx.vars = &vars;
      auto lc = log_config_from_config(cfg_, ctx);
      if (!lc) return;
      logger_ = std::make_unique<Logger>(std::move(lc.value()));
    }
    logger_->write(dests, line);
  }

  const config::Config& cfg_;
  AddressVerifier verifier_{cfg_};
  std::unique_ptr<Logger> logger_;
  bool host_checking_;
  SpoolLayout layout_;
  std::unique_ptr<SpoolCommitter> committer_;
};

bool write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::string host_check_address(std::string_view ip) {
  auto a = util::IpAddress::parse(ip);
  if (!a) return "";
  if (a->family() == util::IpAddress::Family::V4) return a->str();
  const auto& b = a->bytes();
  std::string out;
  char buf[8];
  for (int i = 0; i < 16; i += 2) {
    std::snprintf(buf, sizeof buf, "%02x%02x", b[i], b[i + 1]);
    if (i) out += ':';
    out += buf;
  }
  return out;
}

int run_stdio_session(const config::Config& cfg, const acl::AclSet& acls,
                      const std::string& host_ip, bool host_checking, bool callouts) {
  SessionSettings st;
  st.lf_line_endings = true;
  st.host_checking = host_checking;
  if (host_checking) {
    st.client_address = host_check_address(host_ip);
    if (st.client_address.empty()) {
      std::fprintf(stderr, "facteur: \"%s\" is not a valid IP address\n", host_ip.c_str());
      return 1;
    }
    st.client_port = 0;
    std::string head = "\n**** SMTP testing session as if from host " + st.client_address +
                       "\n**** but without any ident (RFC 1413) callback.\n"
                       "**** This is not for real!\n\n";
    (void)write_all(1, head);
  } else {
    st.local_smtp = true;
    st.tls_available = false;
    if (struct passwd* pw = getpwuid(getuid())) st.local_user = pw->pw_name;
  }
  // The policy trace: always with -bh (">>> " lines), with -d+acl otherwise.
  std::unique_ptr<acl::PolicyTrace> trace;
  if (host_checking) {
    trace = std::make_unique<acl::PolicyTrace>(">>> ");
  } else if (util::debug::on(util::debug::kAcl)) {
    trace = std::make_unique<acl::PolicyTrace>("", util::debug::on(util::debug::kLists));
  }
  st.acl_trace = trace.get();
  st.list_trace = trace.get();
  StdioServices services(cfg, host_checking);
  // -bh makes no callouts (spec 5: -bhc does).
  services.verifier().set_callouts(!host_checking || callouts);
  Session s(cfg, acls, services, st);
  s.start();
  char buf[65536];
  while (true) {
    if (!write_all(1, s.take_output())) return 0;
    if (s.finished()) break;
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      s.end_of_input();
    } else {
      s.feed(std::string_view(buf, static_cast<size_t>(n)));
    }
  }
  (void)write_all(1, s.take_output());
  return 0;
}

}  // namespace engine::smtp

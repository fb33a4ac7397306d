// transports/lmtp.cpp — the lmtp transport (spec chapter 28): LMTP (RFC 2033) to a Unix-domain
// socket or to a command run with the delivery's uid and gid, several recipients a run
// (batch_max), one final reply per recipient.
#include <chrono>

#include "engine/config/drivers.h"
#include "transports/command_line.h"
#include "transports/generic.h"
#include "transports/smtp_client.h"
#include "util/spawn.h"

namespace transports {
namespace {

using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

// Spec 28, sorted.
constexpr DriverOption kOptions[] = {
    {"batch_id", T::String, true, ""}, {"batch_max", T::Int, false, "1"},
    {"command", T::String, true, ""},  {"ignore_quota", T::Bool, false, "false"},
    {"socket", T::String, true, ""},   {"timeout", T::Time, false, "5m"},
};

struct Options {
  GenericOptions generic;
  CommandTemplate command;
  ProgramPtr socket;
  bool ignore_quota = false;
  int64_t timeout = 300;
  int batch_max = 1;
};

util::Result<Options> read_options(const engine::config::Config& cfg,
                                   const engine::config::Instance& inst) {
  auto g = GenericOptions::read(cfg, inst);
  if (!g) return g.error();
  Options p;
  p.generic = std::move(*g);
  InstanceOptions o(engine::config::DriverKind::Transport, inst);
  bool has_command = o.is_set("command"), has_socket = o.is_set("socket");
  if (has_command == has_socket)
    return util::Error{"transport " + inst.name +
                           ": exactly one of \"command\" or \"socket\" "
                           "must be set for the lmtp transport",
                       inst.loc};
  if (has_command) {
    auto c = CommandTemplate::compile(o.get_string("command"));
    if (!c) return util::Error{"transport " + inst.name + ": " + c.error().message, inst.loc};
    p.command = std::move(*c);
  }
  p.socket = option_program(inst, "socket");
  p.ignore_quota = o.get_bool("ignore_quota");
  p.timeout = o.get_time("timeout");
  p.batch_max = static_cast<int>(std::max<int64_t>(1, o.get_int("batch_max")));
  return p;
}

// A child process speaking LMTP on its standard input and output.
struct Child {
  pid_t pid = -1;
  ~Child() {
    if (pid > 0) util::wait_child(pid, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  }
};

class Lmtp : public Transport {
 public:
  Lmtp(std::string name, Options o)
      : Transport(std::move(name), "lmtp", o_.generic), o_(std::move(o)) {}
  int max_addresses() const override { return o_.batch_max; }
  void deliver(Delivery& d, const TransportServices& s) const override;

 private:
  bool connect(Expander& ex, const Delivery& d, const Prepared& prep, util::LineStream& stream,
               Child& child, std::string& where, AddressResult& fail) const;
  Options o_;
};

bool Lmtp::connect(Expander& ex, const Delivery& d, const Prepared& prep, util::LineStream& stream,
                   Child& child, std::string& where, AddressResult& fail) const {
  std::string err;
  int timeout = static_cast<int>(o_.timeout);
  if (o_.socket) {
    if (ex.option(o_.socket.get(), "socket", where, err) != ExpandOutcome::Ok) {
      fail = defer_result(err);
      return false;
    }
    auto s = util::LineStream::connect_unix(where, timeout);
    if (auto* e = std::get_if<util::IoError>(&s)) {
      fail = defer_result(e->message, e->err);
      return false;
    }
    stream = std::move(std::get<util::LineStream>(s));
    return true;
  }
  std::vector<std::string> argv;
  if (!o_.command.expand(ex, d, {}, argv, err)) {
    fail = defer_result(err);
    return false;
  }
  where = argv.front();
  util::SpawnOptions so;
  so.cwd = prep.cwd;
  so.merge_stderr = false;
  so.env = {"PATH=/bin:/usr/bin", "SHELL=/bin/sh", "HOME=" + prep.home};
  if (prep.id.change) {
    so.uid = prep.id.uid;
    so.gid = prep.id.gid;
    so.groups = prep.id.groups;
  }
  auto c = util::spawn(argv, so);
  if (!c) {
    fail = defer_result(c.error().message);
    return false;
  }
  child.pid = c->pid;
  stream = util::LineStream::from_fds(c->from_child, c->to_child);
  return true;
}

void Lmtp::deliver(Delivery& d, const TransportServices& s) const {
  Expander ex(s, d, name());
  Prepared prep;
  AddressResult fail;
  Child child;  // destroyed after the stream, so the child sees end of file before the wait
  util::LineStream stream;
  std::string where;
  if (!prepare(o_.generic, ex, d, s, {}, prep, fail) ||
      !connect(ex, d, prep, stream, child, where, fail))
    return set_all_results(d, fail);
  SmtpTimeouts t{static_cast<int>(o_.timeout), static_cast<int>(o_.timeout),
                 static_cast<int>(o_.timeout)};
  SmtpConversation c(stream, t, s.debug);
  auto broken = [&](const util::IoError& e, const std::string& after) {
    AddressResult r = defer_result(smtp_io_error_text(e, after), e.err);
    r.error = e.kind == util::IoErrorKind::Timeout ? ErrorKind::Timeout : ErrorKind::LostConnection;
    set_all_results(d, r);
  };
  auto greeting = c.read_reply();
  if (auto* e = std::get_if<util::IoError>(&greeting)) return broken(*e, "initial connection");
  std::string helo;
  ex.vars().get("primary_hostname", helo);
  auto lhlo = std::get<SmtpReply>(greeting).ok() ? c.exchange("LHLO " + helo) : greeting;
  if (auto* e = std::get_if<util::IoError>(&lhlo)) return broken(*e, "LHLO");
  const SmtpReply& lr = std::get<SmtpReply>(lhlo);
  if (!lr.ok()) {
    AddressResult r = defer_result(smtp_error_text("LHLO", lr, true));
    r.smtp_code = lr.code;
    return set_all_results(d, r);
  }
  SmtpCapabilities caps = parse_capabilities(lr);
  SmtpTransaction tx;
  tx.lmtp = true;
  tx.pipelining = caps.pipelining;
  tx.mail = "MAIL FROM:<" + prep.return_path + ">";
  for (const DeliveryAddress& a : d.addresses) {
    std::string rcpt = o_.generic.rcpt_include_affixes || a.local_part.empty()
                           ? a.address
                           : a.local_part + "@" + a.domain;
    tx.rcpts.push_back("RCPT TO:<" + rcpt + ">" +
                       (o_.ignore_quota && caps.ignorequota ? " IGNOREQUOTA" : ""));
  }
  WriteOptions wo = smtp_write_options(o_.generic.headers_only, o_.generic.body_only);
  tx.write_message = [&](const Sink& sink) {
    return write_message(*d.message, prep.edits, wo, sink);
  };
  SmtpTransactionResult r = smtp_run_transaction(c, tx);
  smtp_assign_results(tx, r, where, d.results);
  if (!r.io) {
    auto bye = c.exchange("QUIT");
    (void)bye;
  }
  stream.close();
}

const TransportRegistrar kRegistrar({"lmtp", kOptions, make_transport<Lmtp, read_options>});

}  // namespace
}  // namespace transports

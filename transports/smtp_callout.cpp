// transports/smtp_callout.cpp — the SMTP side of callout verification (engine/callout.h):
// connect, banner, EHLO (HELO when EHLO is refused), MAIL FROM, RCPT TO, QUIT, each reply
// within the callout's timeout. Registered with the engine at start-up. No TLS or AUTH: a
// callout that needs them cannot complete (it defers). Texts: a 5xx to RCPT (or a 4xx) is
// "SMTP error from remote mail server after RCPT TO:<a>: 550 ...", a 5xx to HELO or MAIL is
// "response to \"MAIL FROM:<>\" was: 550 ..." (as Exim 4.96 logs them).
#include "engine/callout.h"
#include "transports/smtp_client.h"
#include "transports/smtp_hosts.h"
#include "util/line_stream.h"
#include "util/strings.h"

namespace transports {
namespace {

using engine::CalloutProbe;

class SmtpCallout : public engine::CalloutClient {
 public:
  SmtpCallout() { engine::set_callout_client(this); }
  CalloutProbe probe(const engine::CalloutRequest& r) override;
  std::vector<engine::Host> hosts_from_list(const std::string& list) override;
};

std::vector<engine::Host> SmtpCallout::hosts_from_list(const std::string& list) {
  std::vector<engine::Host> out;
  auto parsed = parse_host_list(list, false);
  if (!parsed) return out;
  for (const Host& h : resolve_hosts(*parsed, resolve_system).hosts) {
    engine::Host e;
    e.name = h.name;
    e.address = h.address;
    e.port = h.port < 0 ? engine::Host::kNone : h.port;
    out.push_back(e);
  }
  return out;
}

// Sends `cmd` (or reads the banner when empty) and sorts out the reply: true for 2xx;
// otherwise `p` says why (5xx: Rejected).
bool step(SmtpConversation& c, const std::string& cmd, std::string_view name, CalloutProbe& p) {
  auto r = cmd.empty() ? c.read_reply() : c.exchange(cmd);
  p.sent = cmd;
  if (auto* e = std::get_if<util::IoError>(&r)) {
    p.result = CalloutProbe::Result::Failed;
    p.error = smtp_io_error_text(*e, name);
    return false;
  }
  const SmtpReply& rep = std::get<SmtpReply>(r);
  if (rep.ok()) return true;
  p.result = rep.permanent() ? CalloutProbe::Result::Rejected : CalloutProbe::Result::Failed;
  p.response = rep.text();
  p.at_rcpt = cmd.rfind("RCPT", 0) == 0;
  // Exim words a refusal before RCPT as the response to the command.
  p.error = p.at_rcpt || !rep.permanent() || cmd.empty()
                ? smtp_error_text(name, rep)
                : "response to \"" + cmd + "\" was: " + rep.text();
  return false;
}

CalloutProbe SmtpCallout::probe(const engine::CalloutRequest& r) {
  CalloutProbe p;
  auto c = util::LineStream::connect_tcp(r.host.address, r.port, r.interface, r.connect_timeout);
  if (auto* e = std::get_if<util::IoError>(&c)) {
    p.error = e->err ? util::errno_text(e->err) : e->message;
    return p;
  }
  util::LineStream& s = std::get<util::LineStream>(c);
  SmtpTimeouts t{r.command_timeout, r.command_timeout, r.command_timeout};
  SmtpConversation conv(s, t, nullptr);
  if (!step(conv, "", "initial connection", p)) return p;
  if (!step(conv, "EHLO " + r.helo, "EHLO", p)) {
    if (p.response.empty()) return p;  // the connection failed
    p = CalloutProbe{};
    if (!step(conv, "HELO " + r.helo, "HELO", p)) return p;
  }
  std::string mail = "MAIL FROM:<" + r.mail_from + ">";
  std::string rcpt = "RCPT TO:<" + r.rcpt_to + ">";
  bool ok = step(conv, mail, mail, p) && step(conv, rcpt, rcpt, p);
  (void)conv.exchange("QUIT");
  if (ok) p.result = CalloutProbe::Result::Accepted;
  return p;
}

SmtpCallout kClient;

}  // namespace
}  // namespace transports

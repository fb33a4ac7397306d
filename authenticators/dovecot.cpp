// authenticators/dovecot.cpp — driver = dovecot: SMTP AUTH checked by a Dovecot auth server
// through its auth-client socket (spec chapter 37; protocol: notes/dovecot-auth.md).
//
// One connection per AUTH command: VERSION and CPID are sent at once (Dovecot 2.4 waits for
// them; a client that waits for the server first hangs there), the handshake is read up to
// DONE and must offer public_name as a MECH; "SPID" before any MECH means the socket is an
// auth-master/auth-userdb one, which is reported, not waited on. Then AUTH (service=smtp,
// the client's and our addresses and ports, "secured" on TLS or a local connection, "resp="
// last), and each CONT challenge is relayed as a 334 reply.
//
// Outcomes: OK with user= succeeds ($auth1 = the canonical user name Dovecot returns), then
// server_condition may still refuse — but OK carrying "nologin" or "proxy" is a failure
// (535), as Dovecot's protocol requires (Exim 4.96 lets such accounts in); FAIL is 535,
// except code=temp_fail which is 454; a missing or wrong socket, a timeout, a reply for
// another request or without user= is a temporary failure (435) with the reason logged.
// Waits are bounded: 5 s to connect and finish the handshake, 20 s for each reply (Dovecot
// delays failures by seconds on purpose).
#include <unistd.h>

#include <cctype>
#include <chrono>

#include "authenticators/authenticator.h"
#include "authenticators/common.h"
#include "util/socket_stream.h"
#include "util/strings.h"

namespace authenticators {
namespace {

using T = engine::config::OptType;
using Clock = std::chrono::steady_clock;

constexpr DriverOption kOptions[] = {
    {"server_socket", T::String, false, ""},
};

constexpr auto kHandshakeTimeout = std::chrono::seconds(5);
constexpr auto kReplyTimeout = std::chrono::seconds(20);
constexpr size_t kMaxLine = 16384;

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t tab = line.find('\t', pos);
    out.emplace_back(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
    if (tab == std::string_view::npos) return out;
    pos = tab + 1;
  }
}

// Dovecot's escaping: \001 followed by 0 (NUL), 1 (\001), t (TAB), r (CR), n or l (LF).
std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\001' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    out += c == '0'                 ? '\0'
           : c == '1'               ? '\001'
           : c == 't'               ? '\t'
           : c == 'r'               ? '\r'
           : (c == 'n' || c == 'l') ? '\n'
                                    : c;
  }
  return out;
}

bool is_base64_text(std::string_view s) {
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '+' && c != '/' && c != '=') return false;
  }
  return true;
}

std::string variable(lang::EvalContext& ctx, std::string_view name) {
  std::string v;
  if (ctx.vars) ctx.vars->get(name, v);
  return v;
}

// A reply line's parameters: name=value (unescaped) or a bare flag (empty value).
struct Params {
  std::vector<std::pair<std::string, std::string>> list;
  bool has(std::string_view n) const {
    for (const auto& [k, v] : list)
      if (k == n) return true;
    return false;
  }
  std::string get(std::string_view n) const {
    for (const auto& [k, v] : list)
      if (k == n) return v;
    return "";
  }
};

Params parse_params(const std::vector<std::string>& f, size_t from) {
  Params p;
  for (size_t i = from; i < f.size(); ++i) {
    size_t eq = f[i].find('=');
    if (eq == std::string::npos) {
      p.list.emplace_back(f[i], "");
    } else {
      p.list.emplace_back(f[i].substr(0, eq), unescape(std::string_view(f[i]).substr(eq + 1)));
    }
  }
  return p;
}

class DovecotServer : public ServerDialogue {
 public:
  DovecotServer(const Authenticator& a, lang::EvalContext& ctx) : a_(a), ctx_(ctx) {}

  ServerReply step(std::string_view data, bool initial) override {
    if (!is_base64_text(data)) return {ServerOutcome::Bad64, "", "", ""};
    if (initial) {
      std::string err = connect_and_handshake();
      if (!err.empty())
        return defer("dovecot " + a_.options().get_string("server_socket") + ": " + err);
      return send_and_read(auth_line(data));
    }
    return send_and_read("CONT\t1\t" + std::string(data) + "\n");
  }

 private:
  static ServerReply defer(std::string why) {
    return {ServerOutcome::Defer, "", std::move(why), ""};
  }

  std::string connect_and_handshake() {
    std::string path = a_.options().get_string("server_socket");
    auto s = util::SocketStream::connect_unix(path, kHandshakeTimeout);
    if (!s) return s.error().message;
    sock_ = std::move(*s);
    std::string hello = "VERSION\t1\t2\nCPID\t" + std::to_string(getpid()) + "\n";
    if (auto w = sock_.write_all(hello, kHandshakeTimeout); !w) return w.error().message;
    Clock::time_point deadline = Clock::now() + kHandshakeTimeout;
    bool mech_offered = false, any_mech = false;
    while (true) {
      auto line = sock_.read_line(kMaxLine, deadline - Clock::now());
      if (!line) return "handshake: " + line.error().message;
      std::vector<std::string> f = split_tabs(*line);
      if (f[0] == "VERSION" && (f.size() < 2 || f[1] != "1")) {
        return "unsupported protocol version " + (f.size() > 1 ? f[1] : std::string());
      } else if (f[0] == "MECH" && f.size() > 1) {
        any_mech = true;
        if (util::iequals(f[1], a_.public_name())) mech_offered = true;
      } else if (f[0] == "SPID" && !any_mech) {
        return "not an auth-client socket (SPID before any MECH)";
      } else if (f[0] == "DONE") {
        break;
      }
    }
    if (!mech_offered) return "Dovecot does not offer " + a_.public_name();
    return "";
  }

  std::string auth_line(std::string_view data) {
    std::string l = "AUTH\t1\t" + a_.public_name() + "\tservice=smtp";
    std::string rip = variable(ctx_, "sender_host_address");
    std::string lip = variable(ctx_, "received_ip_address");
    bool tls = !variable(ctx_, "tls_in_cipher").empty();
    if (tls || (!rip.empty() && rip == lip)) l += "\tsecured";
    if (tls && variable(ctx_, "tls_in_certificate_verified") == "1") l += "\tvalid-client-cert";
    if (!lip.empty()) l += "\tlip=" + lip + "\tlport=" + variable(ctx_, "received_port");
    if (!rip.empty()) l += "\trip=" + rip + "\trport=" + variable(ctx_, "sender_host_port");
    if (!data.empty()) l += "\tresp=" + std::string(data == "=" ? "" : data);
    return l + "\n";
  }

  ServerReply send_and_read(const std::string& line) {
    if (auto w = sock_.write_all(line, kReplyTimeout); !w)
      return defer("dovecot: " + w.error().message);
    auto reply = sock_.read_line(kMaxLine, kReplyTimeout);
    if (!reply) return defer("dovecot: no reply: " + reply.error().message);
    std::vector<std::string> f = split_tabs(*reply);
    if (f.size() < 2 || f[1] != "1") return defer("dovecot: unexpected reply \"" + f[0] + "\"");
    if (f[0] == "CONT") {
      std::string challenge = f.size() > 2 ? f[2] : "";
      if (!is_base64_text(challenge)) return defer("dovecot: challenge is not base64");
      return {ServerOutcome::Challenge, challenge, "", ""};
    }
    Params p = parse_params(f, 2);
    if (f[0] == "OK") return ok(p);
    if (f[0] == "FAIL") return fail(p);
    return defer("dovecot: unexpected reply \"" + f[0] + "\"");
  }

  ServerReply ok(const Params& p) {
    if (!p.has("user")) return defer("dovecot: OK without user=");
    set_auth_vars(ctx_, {p.get("user")});
    if (p.has("nologin") || p.has("proxy")) {
      std::string why = p.has("nologin") ? "nologin" : "proxy";
      return {ServerOutcome::Fail, "", "Dovecot: " + why + " " + p.get("reason"), ""};
    }
    return check_condition(a_, "server_condition", ctx_, ServerOutcome::Ok);
  }

  ServerReply fail(const Params& p) {
    if (p.has("user")) set_auth_vars(ctx_, {p.get("user")});
    std::string why = p.get("reason");
    if (p.get("code") == "temp_fail") {
      return {ServerOutcome::TempFail, "", "Dovecot: temporary failure " + why, ""};
    }
    return {ServerOutcome::Fail, "", why.empty() ? "" : "Dovecot: " + why, ""};
  }

  const Authenticator& a_;
  lang::EvalContext& ctx_;
  util::SocketStream sock_;
};

class Dovecot : public Authenticator {
 public:
  using Authenticator::Authenticator;
  bool is_server() const override { return options().is_set("server_socket"); }
  std::unique_ptr<ServerDialogue> server_start(lang::EvalContext& ctx) const override {
    return is_server() ? std::make_unique<DovecotServer>(*this, ctx) : nullptr;
  }
};

std::unique_ptr<Authenticator> make(const engine::config::Instance& inst) {
  return std::make_unique<Dovecot>(inst);
}

const AuthenticatorRegistrar reg({"dovecot", kOptions, make});

}  // namespace
}  // namespace authenticators

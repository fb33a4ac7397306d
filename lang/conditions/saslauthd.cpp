// lang/conditions/saslauthd.cpp — saslauthd{{user}{password}{service}{realm}} (spec 11.7):
// asks a Cyrus saslauthd daemon whether the password is right.
//
// Protocol (saslauthd's "mux" socket): the client sends four counted strings — login,
// password, service, realm — each as a two-byte big-endian length and the bytes; the daemon
// answers with one counted string that starts with "OK" (accepted) or "NO" (refused).
//
// The socket is Debian's (/var/run/saslauthd/mux, where Debian's Exim is built to look; Exim
// takes it from CYRUS_SASLAUTHD_SOCKET at build time). facteur extension: a fifth argument
// names another socket, e.g. saslauthd{{$auth2}{$auth3}{smtp}{}{/run/test/mux}}.
//
// Failures: a missing or silent daemon, or an answer that is neither OK nor NO, is an
// expansion error ("saslauthd: ..."), which a server_condition turns into a temporary
// authentication failure (435) — never a success. Every wait is bounded (10 s).
#include <chrono>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/socket_stream.h"

namespace lang {
namespace {

constexpr std::string_view kDefaultSocket = "/var/run/saslauthd/mux";
constexpr auto kTimeout = std::chrono::seconds(10);

void put_counted(std::string& out, std::string_view s) {
  out += static_cast<char>((s.size() >> 8) & 0xff);
  out += static_cast<char>(s.size() & 0xff);
  out.append(s);
}

// OK / NO from the daemon; an error message otherwise.
Status ask_saslauthd(const std::string& socket, const std::string (&fields)[4], bool& ok) {
  std::string req;
  for (const auto& f : fields) {
    if (f.size() > 0xffff) return Status::error("saslauthd: argument too long");
    put_counted(req, f);
  }
  auto s = util::SocketStream::connect_unix(socket, kTimeout);
  if (!s) return Status::error("saslauthd: " + s.error().message);
  if (auto w = s->write_all(req, kTimeout); !w) {
    return Status::error("saslauthd: write to " + socket + " failed: " + w.error().message);
  }
  auto len = s->read_exact(2, kTimeout);
  if (!len) return Status::error("saslauthd: no answer: " + len.error().message);
  size_t n = (static_cast<unsigned char>((*len)[0]) << 8) | static_cast<unsigned char>((*len)[1]);
  auto answer = s->read_exact(n, kTimeout);
  if (!answer) return Status::error("saslauthd: no answer: " + answer.error().message);
  if (answer->rfind("OK", 0) == 0) {
    ok = true;
  } else if (answer->rfind("NO", 0) == 0) {
    ok = false;
  } else {
    return Status::error("saslauthd: unexpected answer");
  }
  return Status::ok();
}

class SaslauthdCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& result) const override {
    std::string fields[4], socket(kDefaultSocket);
    for (size_t i = 0; i < args.size(); ++i) {
      std::string& dst = i < 4 ? fields[i] : socket;
      dst.clear();
      LANG_TRY(args[i].eval(ctx, dst));
    }
    return ask_saslauthd(socket, fields, result);
  }
  std::vector<Template> args;
};

// Two to five strings inside one pair of braces.
Status parse_saslauthd(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<SaslauthdCond>();
  const std::string bad = "too few arguments or bracketing error for " + std::string(name);
  p.skip_ws();
  if (!p.consume('{')) return p.error(bad);
  for (int k = 0; k < 5; ++k) {
    p.skip_ws();
    if (p.peek() != '{') break;
    c->args.emplace_back();
    LANG_TRY(p.brace_arg(c->args.back()));
  }
  p.skip_ws();
  if (c->args.size() < 2 || !p.consume('}')) return p.error(bad);
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"saslauthd", parse_saslauthd}});

}  // namespace
}  // namespace lang

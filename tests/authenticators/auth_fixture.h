// Test helpers for the authenticators: a configuration read from text with its
// authenticators built, an expansion context with engine variables, and a ClientChannel
// that talks to a real facteur Session (so client drivers are tested against our server).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "authenticators/authenticator.h"
#include "engine/acl.h"
#include "engine/config/config.h"
#include "engine/smtp/auth_services.h"
#include "engine/smtp/session.h"
#include "engine/variables.h"
#include "util/base64.h"

namespace authtest {

struct Fixture {
  explicit Fixture(const std::string& conf) {
    auto c = engine::config::read_string(conf, "test.conf");
    if (!c.ok()) FAIL(engine::config::format_error(c.error()));
    cfg = std::make_unique<engine::config::Config>(std::move(c.value()));
    auths = authenticators::make_authenticators(*cfg);
    vars = std::make_unique<engine::Variables>(cfg.get());
    ctx.vars = vars.get();
  }
  const authenticators::Authenticator& get(std::string_view name) const {
    for (const auto& a : auths)
      if (a->name() == name) return *a;
    FAIL("no authenticator " << name);
    return *auths.front();
  }
  std::unique_ptr<engine::config::Config> cfg;
  std::vector<std::unique_ptr<authenticators::Authenticator>> auths;
  std::unique_ptr<engine::Variables> vars;
  lang::EvalContext ctx;
};

inline std::string b64(std::string_view s) {
  return util::base64_encode(s);
}

// Services of a test session: the real authenticators, log lines kept.
class LoggingServices : public engine::smtp::AuthenticatingServices {
 public:
  using AuthenticatingServices::AuthenticatingServices;
  void log(std::string_view line) override { lines.emplace_back(line); }
  std::vector<std::string> lines;
};

// A facteur SMTP session on the other side of a ClientChannel: EHLO is sent at creation.
class SessionChannel : public authenticators::ClientChannel {
 public:
  SessionChannel(const engine::config::Config& cfg, engine::smtp::SessionSettings st = {})
      : services(cfg) {
    auto a = engine::acl::load(cfg);
    REQUIRE(a.ok());
    acls = std::make_unique<engine::acl::AclSet>(std::move(a.value()));
    if (st.client_address.empty()) st.client_address = "192.0.2.7";
    st.host_checking = true;  // no pacing delay in unit tests
    session = std::make_unique<engine::smtp::Session>(cfg, *acls, services, st);
    session->start();
    (void)session->take_output();
    ehlo = command("EHLO client.example");
  }
  authenticators::ClientReply command(std::string_view line) override {
    sent.emplace_back(line);
    session->feed(std::string(line) + "\r\n");
    std::string out = session->take_output();
    authenticators::ClientReply r;
    size_t pos = 0;
    while (pos + 3 < out.size()) {
      size_t e = out.find("\r\n", pos);
      r.code = std::stoi(out.substr(pos, 3));
      if (!r.text.empty()) r.text += '\n';
      r.text += out.substr(pos + 4, e - pos - 4);
      pos = e + 2;
    }
    return r;
  }
  LoggingServices services;
  std::unique_ptr<engine::acl::AclSet> acls;
  std::unique_ptr<engine::smtp::Session> session;
  authenticators::ClientReply ehlo;
  std::vector<std::string> sent;
};

}  // namespace authtest

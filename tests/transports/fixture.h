// tests/transports/fixture.h — what the transport tests share: a temporary directory, a
// configuration read from text, a message, variables, and running a transport on it.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/message_vars.h"
#include "engine/variables.h"
#include "transports/transport.h"

namespace transport_test {

namespace fs = std::filesystem;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/facteur-transport-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path = tmpl;
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(std::string_view rest) const { return path + "/" + std::string(rest); }
  std::string path;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, std::string_view text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

inline std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

// A small message from alice to bob, as the SMTP session would have spooled it.
inline engine::SpoolMessage test_envelope(std::string id = "1xVkc9-000131-34") {
  engine::SpoolMessage m;
  m.id = std::move(id);
  m.sender = "alice@example.org";
  m.received_time = 1795503417;
  engine::SpoolRecipient r;
  r.address = "bob@example.net";
  m.recipients.push_back(r);
  m.headers.push_back(
      {'P',
       "Received: from client.example ([192.0.2.7])\n\tby mx.example.net with "
       "esmtp (Exim 4.96)\n\tid 1xVkc9-000131-34\n\tfor bob@example.net;\n\tTue, 24 "
       "Nov 2026 07:06:53 +0000\n"});
  m.headers.push_back({'F', "From: Alice <alice@example.org>\n"});
  m.headers.push_back({'T', "To: bob@example.net\n"});
  m.headers.push_back({' ', "Subject: greetings\n"});
  m.headers.push_back({'*', "X-Deleted: never shown\n"});
  return m;
}

// A configuration, the transport named "t" built from it, and what a delivery needs.
struct Harness {
  explicit Harness(std::string transports_section, std::string main_section = "") {
    std::string text = main_section + "\nbegin transports\n" + transports_section;
    auto c = engine::config::read_string(text, "test.conf");
    if (!c) FAIL("config: ", engine::config::format_error(c.error()));
    cfg = std::make_unique<engine::config::Config>(std::move(*c));
    base = std::make_unique<engine::Variables>(cfg.get());
    auto t = transports::transport_create(*cfg, cfg->transports.at(0));
    if (!t) FAIL("transport: ", engine::config::format_error(t.error()));
    transport = std::move(*t);
    services.config = cfg.get();
    services.primary_hostname = "mx.example.net";
  }

  // Runs the transport for `addresses` on `msg` with `body`.
  transports::Delivery run(const std::vector<transports::DeliveryAddress>& addresses,
                           const engine::SpoolMessage& env, std::string body) {
    auto src = transports::MessageSource::from_memory(env, std::move(body));
    return run_source(addresses, src);
  }

  transports::Delivery run_source(const std::vector<transports::DeliveryAddress>& addresses,
                                  const transports::MessageSource& src) {
    message_vars = std::make_unique<engine::MessageVariables>(base.get());
    std::string text;
    for (const auto& h : src.envelope().headers)
      if (h.type != '*') text += h.text;
    message_vars->load_text(text + "\n");
    base->set("message_id", src.id());
    base->set("message_exim_id", src.id());
    base->set("sender_address", src.envelope().sender);
    services.vars = message_vars.get();
    transports::Delivery d;
    d.message = &src;
    d.addresses = addresses;
    transport->deliver(d, services);
    REQUIRE(d.results.size() == addresses.size());
    d.message = nullptr;  // `src` may not outlive this call
    return d;
  }

  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::Variables> base;
  std::unique_ptr<engine::MessageVariables> message_vars;
  std::unique_ptr<transports::Transport> transport;
  transports::TransportServices services;
};

inline transports::DeliveryAddress address(std::string local, std::string domain) {
  transports::DeliveryAddress a;
  a.address = local + "@" + domain;
  a.local_part = std::move(local);
  a.domain = std::move(domain);
  a.router = "test_router";
  a.uid = geteuid();  // as check_local_user would set them for the user running the tests
  a.gid = getegid();
  return a;
}

// What building transport "t" of `transports_section` reports ("(no error)" when it builds).
inline std::string transport_config_error(const std::string& transports_section) {
  auto c = engine::config::read_string("begin transports\n" + transports_section, "test.conf");
  if (!c) return engine::config::format_error(c.error());
  auto t = transports::transport_create(*c, c->transports.at(0));
  return t ? std::string("(no error)") : engine::config::format_error(t.error());
}

inline std::string outcome_text(const transports::AddressResult& r) {
  switch (r.outcome) {
    case transports::Outcome::Ok:
      return "ok";
    case transports::Outcome::Defer:
      return "defer: " + r.message;
    case transports::Outcome::Fail:
      return "fail: " + r.message;
  }
  return "?";
}

}  // namespace transport_test

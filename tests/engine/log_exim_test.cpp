// Exim's log tools read facteur's main log: eximstats counts the arrivals and their volume,
// exigrep gathers a message's lines. Runs only when the tools are installed (they come with
// exim4); otherwise the test says it was skipped.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "engine/log.h"
#include "engine/log_lines.h"

namespace {

std::string tool(const char* name) {
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    std::string p = std::string(dir) + "/" + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

std::string run(const std::string& cmd) {
  std::string out;
  std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

engine::ArrivalLog arrival(const char* id, const char* sender, const char* ip, int64_t size) {
  engine::ArrivalLog a;
  a.id = id;
  a.sender = sender;
  a.helo_name = "client.example";
  a.host_address = ip;
  a.host_port = 40000;
  a.protocol = "esmtp";
  a.size = size;
  a.message_id = std::string(id) + "@client.example";
  a.recipients = {"user@example.net"};
  return a;
}

}  // namespace

TEST_SUITE("engine.log_exim") {
  TEST_CASE("eximstats and exigrep read the main log") {
    std::string eximstats = tool("eximstats"), exigrep = tool("exigrep");
    if (eximstats.empty() || exigrep.empty()) {
      MESSAGE("eximstats/exigrep are not installed: test skipped");
      return;
    }
    char tmpl[] = "/tmp/facteur-logtools-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    auto cfg = engine::log_config_parse(dir + "/%slog", "/unused");
    REQUIRE(cfg);
    auto sel = engine::log_selector_parse("+all -pid");
    REQUIRE(sel);
    cfg->selector = *sel;
    engine::Logger log(*cfg);
    log.mainlog(engine::log_arrival_line(
        arrival("1xVkgq-0007RL-11", "a@x.example", "192.0.2.7", 1000), cfg->selector));
    engine::ArrivalLog tls = arrival("1xVkgq-0007RL-12", "b@x.example", "2001:db8::5", 2500);
    tls.protocol = "esmtpsa";
    tls.tls_cipher = "TLS1.3:TLS_AES_256_GCM_SHA384:256";
    tls.tls_cert_verified = "no";
    tls.authenticator = "plain";
    tls.authenticated_id = "b";
    log.mainlog(engine::log_arrival_line(tls, cfg->selector));
    log.write(engine::kLogMain | engine::kLogReject,
              "H=(bad) [198.51.100.1] F=<x@y> rejected RCPT <u@v>: relay not permitted");
    log.mainlog("1xVkgq-0007RL-11 => user <user@example.net> R=local T=mbox");
    log.mainlog("1xVkgq-0007RL-11 Completed");

    std::string stats = run(eximstats + " -txt -nr -nt " + dir + "/mainlog");
    CHECK_MESSAGE(stats.find("Received              3500          2") != std::string::npos, stats);
    CHECK(stats.find("Delivered             1000          1") != std::string::npos);
    CHECK(stats.find("Rejected") != std::string::npos);

    std::string grep = run(exigrep + " 1xVkgq-0007RL-11 " + dir + "/mainlog");
    CHECK(grep.find("1xVkgq-0007RL-11 <= a@x.example H=(client.example) [192.0.2.7]:40000") !=
          std::string::npos);
    CHECK(grep.find("1xVkgq-0007RL-11 Completed") != std::string::npos);
    CHECK(grep.find("1xVkgq-0007RL-12") == std::string::npos);
    std::filesystem::remove_all(dir);
  }
}

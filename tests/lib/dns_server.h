// tests/lib/dns_server.h — the test DNS server for C++ tests: NSD on 127.0.0.1 serving
// tests/dns/zones/ (example.test, its reverse zones, bl.example.test), started through
// tests/lib/dnsserver.py on first use and stopped when the test process exits.
//
// Failure: when NSD cannot be started, servers() is empty and the reason is printed once;
// tests then fail on their first DNS expectation.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/dns.h"
#include "util/strings.h"
#include "util/subprocess.h"

namespace testdns {

class Server {
 public:
  static Server& get() {
    static Server s;
    return s;
  }
  const std::string& servers() const { return servers_; }

 private:
  Server() {
    char tmpl[] = "/tmp/facteur-dns-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir_ = tmpl;
    auto r = util::subprocess_run({"/usr/bin/env", "python3", script(), "start", dir_}, 30);
    std::string port(util::trim(r.output));
    if (r.exit_status != 0 || port.empty() || port.find_first_not_of("0123456789") != port.npos) {
      std::fprintf(stderr, "test DNS server did not start: %s%s\n", r.error.c_str(),
                   r.output.c_str());
      return;
    }
    servers_ = "127.0.0.1." + port;
  }
  ~Server() {
    if (dir_.empty()) return;
    (void)util::subprocess_run({"/usr/bin/env", "python3", script(), "stop", dir_}, 30);
    (void)util::subprocess_run({"/bin/rm", "-rf", dir_}, 30);
  }
  static std::string script() {
    return std::string(FACTEUR_SOURCE_DIR) + "/tests/lib/dnsserver.py";
  }

  std::string dir_, servers_;
};

// "127.0.0.1.PORT", facteur's dns_servers syntax.
inline const std::string& servers() {
  return Server::get().servers();
}

// Resolver settings for the test server, with a short timeout.
inline util::dns::Settings settings() {
  util::dns::Settings s;
  if (auto sv = util::dns::parse_server(servers())) s.servers.push_back(*sv);
  s.retrans_ms = 1000;
  s.tries = 1;
  return s;
}

}  // namespace testdns

// tests/transports/peer.h — real peers for the smtp and lmtp transport tests: the Python sink
// (tests/transports/sinks/smtp_sink.py) and a second facteur daemon, started on loopback and
// stopped at the end of the test; and test certificates made with openssl at run time.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/transports/fixture.h"
#include "util/line_stream.h"
#include "util/spawn.h"

namespace transport_test {

inline std::string sink_script() {
  return std::string(FACTEUR_SOURCE_DIR) + "/tests/transports/sinks/smtp_sink.py";
}

// A child process whose first line of output says it is ready (a port number, or "ready").
class Peer {
 public:
  // `wait_port` > 0: ready when that loopback port takes connections (the child's output is
  // then what it says if it fails to start); `wait_path`: when that Unix-domain socket takes
  // connections; otherwise when it prints a line.
  explicit Peer(std::vector<std::string> argv, int wait_port = 0, std::string wait_path = "") {
    util::SpawnOptions so;
    so.stdin_pipe = false;
    so.merge_stderr = wait_port > 0;
    so.env = {"PATH=/usr/bin:/bin", "HOME=/tmp"};
    auto c = util::spawn(argv, so);
    if (!c) FAIL("cannot start ", argv[0], ": ", c.error().message);
    child_ = *c;
    if (wait_port > 0) {
      wait_for_port(wait_port);
      first_line_ = std::to_string(wait_port);
    } else if (!wait_path.empty()) {  // a Unix-domain socket that takes connections
      bool up = false;
      for (int i = 0; i < 400 && !up; ++i) {
        up = std::holds_alternative<util::LineStream>(util::LineStream::connect_unix(wait_path, 1));
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!up) FAIL("peer did not listen on ", wait_path);
    } else {
      first_line_ = read_first_line();
    }
  }
  ~Peer() {
    if (child_.pid > 0) {
      kill(child_.pid, SIGTERM);
      util::wait_child(child_.pid, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    }
    if (child_.from_child >= 0) close(child_.from_child);
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  const std::string& first_line() const { return first_line_; }
  int port() const { return std::atoi(first_line_.c_str()); }

 private:
  void wait_for_port(int port) {
    for (int i = 0; i < 200; ++i) {
      auto s = util::LineStream::connect_tcp("127.0.0.1", port, "", 1);
      if (std::holds_alternative<util::LineStream>(s)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    char buf[4096];
    ssize_t n = read(child_.from_child, buf, sizeof buf);
    FAIL("peer did not start listening on ", port, ": ", std::string(buf, n > 0 ? n : 0));
  }
  std::string read_first_line() {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{child_.from_child, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      ssize_t n = read(child_.from_child, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    if (line.find('\n') == std::string::npos) FAIL("peer did not start: ", line);
    return line.substr(0, line.find('\n'));
  }
  util::Spawned child_;
  std::string first_line_;
};

// A loopback TCP port that was free a moment ago.
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  close(fd);
  return ntohs(sa.sin_port);
}

inline std::vector<std::string> sink_args(std::vector<std::string> extra) {
  std::vector<std::string> a{"/usr/bin/python3", sink_script()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// A self-signed CA and a server certificate for "localhost"/127.0.0.1 signed by it.
struct TestCerts {
  explicit TestCerts(const std::string& dir) {
    ca = dir + "/ca.pem";
    ca_key = dir + "/ca.key";
    cert = dir + "/server.pem";
    key = dir + "/server.key";
    std::string ext = dir + "/ext.cnf";
    spit(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=facteur test CA"});
    run({"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", dir + "/server.csr", "-subj", "/CN=localhost"});
    run({"/usr/bin/openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", ca, "-CAkey",
         ca_key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext});
  }
  static void run(const std::vector<std::string>& argv) {
    util::SpawnOptions so;
    so.stdin_pipe = false;
    so.env = {"PATH=/usr/bin:/bin", "HOME=/tmp", "RANDFILE=/dev/null"};
    auto c = util::spawn(argv, so);
    REQUIRE(c.ok());
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(c->from_child, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(c->from_child);
    auto e = util::wait_child(c->pid, std::chrono::steady_clock::now() + std::chrono::seconds(30));
    if (!e.exited || e.status != 0) FAIL("openssl failed: ", out);
  }
  std::string ca, ca_key, cert, key;
};

inline std::vector<std::string> stored_messages(const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& name : files_in(dir))
    if (name.ends_with(".eml")) out.push_back(slurp(dir + "/" + name));
  return out;
}

}  // namespace transport_test

// fuzz/dovecot_fuzz.cpp — libFuzzer target for the Dovecot auth-client protocol lines (T-CI-1,
// T-AUTH-4): arbitrary bytes are everything a hostile auth socket says (handshake and reply);
// a dovecot authenticator runs an AUTH PLAIN (and a second step when it is challenged)
// against it. A thread serves each input on a Unix socket made once, then closes its side, so
// the authenticator always meets end of input and never waits for its timeouts.
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "authenticators/authenticator.h"
#include "engine/config/config.h"
#include "engine/variables.h"

namespace {

struct Setup {
  Setup() {
    char tmpl[] = "/tmp/facteur-dovecot-fuzz-XXXXXX";
    if (!mkdtemp(tmpl)) std::abort();
    path = std::string(tmpl) + "/auth-client";
    listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    if (listener < 0 || bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        listen(listener, 4) != 0)
      std::abort();
    auto c = engine::config::read_string(
        "primary_hostname = mx.example.org\nbegin authenticators\nd:\n  driver = dovecot\n"
        "  public_name = PLAIN\n  server_socket = " +
            path + "\n  server_set_id = $auth1\n",
        "fuzz.conf");
    if (!c.ok()) std::abort();
    cfg = std::make_unique<engine::config::Config>(std::move(c.value()));
    auths = authenticators::make_authenticators(*cfg);
    if (auths.size() != 1) std::abort();
    vars = std::make_unique<engine::Variables>(cfg.get());
  }
  ~Setup() {  // at exit: the socket and its folder go
    close(listener);
    unlink(path.c_str());
    rmdir(path.substr(0, path.rfind('/')).c_str());
  }
  std::string path;
  int listener = -1;
  std::unique_ptr<engine::config::Config> cfg;
  std::vector<std::unique_ptr<authenticators::Authenticator>> auths;
  std::unique_ptr<engine::Variables> vars;
};

// One connection: says `bytes`, closes its writing side, reads until the client is gone.
void serve(int listener, std::string_view bytes) {
  pollfd p{listener, POLLIN, 0};
  if (poll(&p, 1, 2000) != 1) return;  // the client gave up before connecting
  int fd = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return;
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  shutdown(fd, SHUT_WR);
  char buf[4096];
  pollfd q{fd, POLLIN, 0};
  while (poll(&q, 1, 2000) == 1 && read(fd, buf, sizeof buf) > 0) {
  }
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup setup;
  if (size > 64 * 1024) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::thread server(serve, setup.listener, bytes);
  lang::EvalContext ctx;
  ctx.vars = setup.vars.get();
  auto dialogue = setup.auths[0]->server_start(ctx);
  auto r = dialogue->step("AGFsaWNlAHNlY3JldA==", true);  // \0alice\0secret
  if (r.outcome == authenticators::ServerOutcome::Challenge) (void)dialogue->step("eA==", false);
  dialogue.reset();  // closes the connection: the server thread sees the end
  server.join();
  return 0;
}

// Tests for lang/conditions/saslauthd: the argument syntax and the mux protocol against a
// scripted socket (tests/e2e/auth_test.py asks a real saslauthd).
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "tests/lang/expand_helper.h"

using testlang::ex;

namespace {

// Answers one request with `answer` (a counted string) and keeps what it received.
struct FakeSaslauthd {
  explicit FakeSaslauthd(std::string answer) {
    char tmpl[] = "/tmp/facteur-saXXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/mux";
    fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strcpy(sa.sun_path, path.c_str());
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
    REQUIRE(::listen(fd, 1) == 0);
    t = std::thread([this, answer] {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      char buf[512];
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n > 0) got.assign(buf, static_cast<size_t>(n));
      std::string out = {static_cast<char>(answer.size() >> 8), static_cast<char>(answer.size())};
      out += answer;
      (void)!::send(c, out.data(), out.size(), MSG_NOSIGNAL);
      ::close(c);
    });
  }
  ~FakeSaslauthd() {
    ::shutdown(fd, SHUT_RDWR);
    t.join();
    ::close(fd);
    ::unlink(path.c_str());
    ::rmdir(dir.c_str());
  }
  std::string dir, path, got;
  int fd;
  std::thread t;
};

}  // namespace

TEST_SUITE("lang.conditions.saslauthd") {
  TEST_CASE("OK and NO") {
    {
      FakeSaslauthd d("OK \"Success.\"");
      CHECK(ex("${if saslauthd{{jdoe}{pw}{smtp}{example.org}{" + d.path + "}}{y}{n}}") == "y");
      CHECK(d.got == std::string("\0\4jdoe\0\2pw\0\4smtp\0\13example.org", 29));
    }
    {
      FakeSaslauthd d("NO \"authentication failed\"");
      CHECK(ex("${if saslauthd{{jdoe}{pw}{}{}{" + d.path + "}}{y}{n}}") == "n");
      CHECK(d.got == std::string("\0\4jdoe\0\2pw\0\0\0\0", 14));
    }
  }

  TEST_CASE("anything else is an error, never a success") {
    FakeSaslauthd d("MAYBE");
    CHECK(ex("${if saslauthd{{u}{p}{s}{r}{" + d.path + "}}{y}{n}}") ==
          "Failed: saslauthd: unexpected answer");
    CHECK(ex("${if saslauthd{{u}{p}{s}{r}{/nonexistent/mux}}{y}{n}}") ==
          "Failed: saslauthd: connect to /nonexistent/mux failed: No such file or directory");
  }

  TEST_CASE("syntax") {
    CHECK(ex("${if saslauthd{{x}}}") ==
          "Failed: too few arguments or bracketing error for saslauthd");
    CHECK(ex("${if saslauthd{{a}{b}{c}{d}{e}{f}}}") ==
          "Failed: too few arguments or bracketing error for saslauthd");
    CHECK(ex("${if eq{1}{2}{${if saslauthd{{u}{p}}}}{not evaluated}}") == "not evaluated");
  }
}

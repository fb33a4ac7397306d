// Tests for lang/conditions/saslauthd: the argument syntax and the mux protocol against a
// scripted socket (tests/e2e/auth_test.py asks a real saslauthd).
#include <doctest/doctest.h>
#include <unistd.h>

#include "tests/lang/expand_helper.h"
#include "tests/util/unix_server.h"

using testlang::ex;

namespace {

// Answers one request with `answer` (a counted string) and keeps what it received.
struct FakeSaslauthd : testutil::UnixServer {
  explicit FakeSaslauthd(std::string answer)
      : UnixServer(
            [this, answer](int c) {
              char buf[512];
              ssize_t n = ::read(c, buf, sizeof buf);
              if (n > 0) got.assign(buf, static_cast<size_t>(n));
              std::string out = {static_cast<char>(answer.size() >> 8),
                                 static_cast<char>(answer.size())};
              send(c, out + answer);
            },
            "mux"),
        path(UnixServer::path()) {}
  std::string path, got;
  ~FakeSaslauthd() { stop(); }
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

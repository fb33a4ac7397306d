// util/line_stream: lines over pipes, timeouts, end of file, refused connections.
#include "util/line_stream.h"

#include <doctest/doctest.h>
#include <unistd.h>

TEST_SUITE("util.line_stream") {
  TEST_CASE("lines, CRLF, a timeout, then end of file") {
    int to_us[2], from_us[2];
    REQUIRE(pipe(to_us) == 0);
    REQUIRE(pipe(from_us) == 0);
    util::LineStream s = util::LineStream::from_fds(to_us[0], from_us[1]);
    REQUIRE(write(to_us[1], "one\r\ntwo\npart", 13) == 13);
    CHECK(std::get<std::string>(s.read_line(1)) == "one");
    CHECK(std::get<std::string>(s.read_line(1)) == "two");
    auto t = s.read_line(0);
    REQUIRE(std::holds_alternative<util::IoError>(t));
    CHECK(std::get<util::IoError>(t).kind == util::IoErrorKind::Timeout);
    close(to_us[1]);
    auto eof = s.read_line(1);
    REQUIRE(std::holds_alternative<util::IoError>(eof));
    CHECK(std::get<util::IoError>(eof).kind == util::IoErrorKind::Closed);
    CHECK_FALSE(s.write("hello\n", 1).has_value());
    char buf[16];
    CHECK(read(from_us[0], buf, sizeof buf) == 6);
    close(from_us[0]);
    auto broken = s.write("more\n", 1);  // the reader is gone: EPIPE, not SIGPIPE
    REQUIRE(broken.has_value());
    CHECK(broken->kind == util::IoErrorKind::Closed);
  }

  TEST_CASE("a refused connection and a missing socket") {
    auto r = util::LineStream::connect_tcp("127.0.0.1", 1, "", 2);
    REQUIRE(std::holds_alternative<util::IoError>(r));
    CHECK(std::get<util::IoError>(r).kind == util::IoErrorKind::Refused);
    auto u = util::LineStream::connect_unix("/nonexistent/socket", 2);
    REQUIRE(std::holds_alternative<util::IoError>(u));
    CHECK(std::get<util::IoError>(u).kind == util::IoErrorKind::Refused);
  }
}

// T-CLI-1 (shared/notes/security-tests.md): the smtp client's reply reader against hostile
// servers. The replies are read from a file through a LineStream, as from a connection:
// endless continuation lines, a 100 KB line, codes that change inside a reply, a code without
// text, NUL bytes. Each is read within bounds and is either a reply or a protocol error.
#include <doctest/doctest.h>
#include <fcntl.h>

#include "tests/transports/fixture.h"
#include "transports/smtp_client.h"

using namespace transport_test;

namespace {

// A conversation whose server "sent" `bytes` and then closed the connection.
struct Canned {
  explicit Canned(std::string_view bytes) {
    spit(dir / "replies", bytes);
    int rfd = open((dir / "replies").c_str(), O_RDONLY | O_CLOEXEC);
    int wfd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    REQUIRE(rfd >= 0);
    REQUIRE(wfd >= 0);
    stream = util::LineStream::from_fds(rfd, wfd);
  }
  // The next reply as "CODE|text" or "error: message".
  std::string next() {
    transports::SmtpConversation c(stream, {}, {});
    auto r = c.read_reply(5);
    if (auto* e = std::get_if<util::IoError>(&r)) return "error: " + e->message;
    auto& rep = std::get<transports::SmtpReply>(r);
    return std::to_string(rep.code) + "|" + rep.text();
  }
  TempDir dir;
  util::LineStream stream;
};

}  // namespace

TEST_SUITE("transports.smtp_client") {
  TEST_CASE("T-CLI-1: hostile replies are bounded and end in a reply or a protocol error") {
    CHECK(Canned("250-a\r\n250 b\r\n").next() == "250|250-a\n250 b");
    CHECK(Canned("250\r\n").next() == "250|250");                         // a code without text
    CHECK(Canned("250-a\r\n250-b\r\n").next().rfind("error: ", 0) == 0);  // never ends
    CHECK(Canned("250-a\r\n251 b\r\n").next() == "error: malformed SMTP reply: \"251 b\"");
    CHECK(Canned("25 short\r\n").next() == "error: malformed SMTP reply: \"25 short\"");
    CHECK(Canned("250xyz\r\n").next() == "error: malformed SMTP reply: \"250xyz\"");
    CHECK(Canned(std::string("250 a\0b\r\x01\r\n", 11)).next() == "250|250 a\\000b\\r\\001");
    CHECK(Canned(std::string("2\00050\r\n", 6)).next() ==
          "error: malformed SMTP reply: \"2\\00050\"");

    std::string endless;
    for (int i = 0; i < 5000; ++i) endless += "250-more\r\n";
    CHECK(Canned(endless + "250 end\r\n").next() ==
          "error: malformed SMTP reply: \"too many lines\"");

    Canned huge("250 " + std::string(100 * 1024, 'x') + "\r\n250 next\r\n");
    std::string first = huge.next();
    CHECK(first.rfind("error: malformed SMTP reply: \"250 xxx", 0) == 0);
    CHECK(first.size() < 400);
    CHECK(Canned("").next() == "error: " + std::string("connection closed"));
  }

  TEST_CASE("T-CLI-1: capabilities from hostile EHLO replies") {
    transports::SmtpReply r{250,
                            {"250-x", "250-SIZE 99999999999999999999", "250-AUTH", "250-",
                             "250-AUTH  PLAIN  ", "250 STARTTLS"}};
    auto c = transports::parse_capabilities(r);
    CHECK(c.size);
    CHECK(c.starttls);
    CHECK(c.auth == std::vector<std::string>{"PLAIN"});
  }
}

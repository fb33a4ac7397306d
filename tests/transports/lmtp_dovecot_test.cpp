// The lmtp transport with a real Dovecot LMTP server (Debian's dovecot-lmtpd): a Dovecot
// master started for the test in a temporary folder, LMTP on a Unix-domain socket; the
// message ends up in a Maildir that Dovecot wrote. Skipped unless dovecot-lmtpd is installed
// and the tests run as root (Dovecot's master wants its system users).
#include <doctest/doctest.h>
#include <unistd.h>

#include "tests/transports/peer.h"
#include "util/users.h"

using namespace transport_test;

namespace {

constexpr const char* kDovecotLmtp = "/usr/lib/dovecot/lmtp";  // dovecot-lmtpd

}  // namespace

TEST_SUITE("transports.lmtp_dovecot") {
  TEST_CASE("delivery to Dovecot LMTP, one recipient accepted and one refused") {
    if (access(kDovecotLmtp, X_OK) != 0 || geteuid() != 0) return;
    TempDir dir;
    fs::permissions(dir.path, fs::perms::all);
    auto nobody = util::find_user("nobody");
    REQUIRE(nobody.has_value());
    std::string uid = std::to_string(nobody->uid), gid = std::to_string(nobody->gid);
    fs::create_directory(dir / "run");
    spit(dir / "dovecot.conf",
         "protocols = lmtp\nbase_dir = " + dir / "run" + "\nlog_path = " + dir / "dovecot.log" +
             "\nssl = no\nfirst_valid_uid = 1\nauth_username_format = %Ln\nmail_location = "
             "maildir:" +
             dir / "mail/%n" + "\nuserdb {\n  driver = passwd-file\n  args = " + dir / "users" +
             "\n}\npassdb {\n  driver = static\n  args = nopassword=y\n}\n"
             "service lmtp {\n  unix_listener " +
             dir / "lmtp.sock" + " {\n    mode = 0666\n  }\n}\n");
    spit(dir / "users", "bob:x:" + uid + ":" + gid + "::" + dir / "home/bob" + "::\n");
    Peer dovecot({"/usr/sbin/dovecot", "-F", "-c", dir / "dovecot.conf"}, 0, dir / "lmtp.sock");
    Harness h("t:\n  driver = lmtp\n  socket = " + dir / "lmtp.sock" +
              "\n  batch_max = 5\n  timeout = 20s\n");
    auto d = h.run({address("bob", "example.net"), address("nosuchuser", "example.net")},
                   test_envelope(), "delivered by Dovecot\n");
    INFO(slurp(dir / "dovecot.log"));
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(d.results[1].outcome == transports::Outcome::Fail);
    CHECK(d.results[1].message.rfind("LMTP error after RCPT TO:<nosuchuser@example.net>: 550", 0) ==
          0);
    auto names = files_in(dir / "mail/bob/new");
    REQUIRE(names.size() == 1);
    std::string text = slurp(dir / "mail/bob/new/" + names[0]);
    CHECK(text.find("Subject: greetings\n") != std::string::npos);
    CHECK(text.ends_with("\ndelivered by Dovecot\n"));
  }
}

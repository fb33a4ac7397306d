// Unit tests of the appendfile transport with real files: mbox (From escaping golden file,
// locking against other writers, modes, symlinks), maildir (layout, tags, quotas,
// maildirsize), plain directory files, batch SMTP, ownership when run as root.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include <chrono>
#include <regex>
#include <thread>

#include "tests/transports/fixture.h"
#include "util/users.h"

using namespace transport_test;
using transports::Outcome;

namespace {

constexpr const char* kFixedPrefix =
    "  message_prefix = \"From ${if def:return_path{$return_path}{MAILER-DAEMON}} "
    "Thu Jan  1 00:00:00 1970\\n\"\n";

std::string mbox_conf(const std::string& file, const std::string& extra = "") {
  return "t:\n  driver = appendfile\n  file = " + file + "\n" + extra;
}

std::string maildir_conf(const std::string& dir, const std::string& extra = "") {
  return "t:\n  driver = appendfile\n  directory = " + dir + "\n  maildir_format\n" + extra;
}

std::string golden(const std::string& name) {
  return slurp(std::string(FACTEUR_SOURCE_DIR) + "/tests/transports/data/" + name);
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
  int n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return n;
}

}  // namespace

TEST_SUITE("transports.appendfile") {
  TEST_CASE("mbox: From escaping, added headers and separators (golden file)") {
    TempDir dir;
    Harness h(mbox_conf(dir / "mbox", std::string(kFixedPrefix) +
                                          "  return_path_add\n  envelope_to_add\n"
                                          "  headers_add = X-Added: by the transport\n"));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), golden("from_escape.in"));
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(slurp(dir / "mbox") == golden("from_escape.out"));
  }

  TEST_CASE("mbox: the default prefix, Delivery-date, and a second message appended") {
    TempDir dir;
    Harness h(mbox_conf(dir / "sub/dir/mbox", "  delivery_date_add\n  return_path_add\n"));
    auto env = test_envelope();
    for (int i = 0; i < 2; ++i) {
      auto d = h.run({address("bob", "example.net")}, env, "line " + std::to_string(i) + "\n");
      REQUIRE(outcome_text(d.results[0]) == "ok");
    }
    std::string text = slurp(dir / "sub/dir/mbox");
    std::regex from_line(R"(^From alice@example\.org \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$)");
    std::smatch m;
    std::string first = text.substr(0, text.find('\n'));
    CHECK_MESSAGE(std::regex_match(first, m, from_line), first);
    CHECK(count_lines_starting(text, "From alice@example.org ") == 2);
    CHECK(count_lines_starting(text, "Delivery-date: ") == 2);
    CHECK(text.find("Return-path: <alice@example.org>\nDelivery-date: ") != std::string::npos);
    CHECK(text.find("line 0\n\nFrom alice") != std::string::npos);
    CHECK(text.find("X-Deleted") == std::string::npos);
    struct stat st {};
    REQUIRE(stat((dir / "sub/dir/mbox").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK((fs::status(dir / "sub").permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK_FALSE(fs::exists(dir / "sub/dir/mbox.lock"));
  }

  TEST_CASE("mbox: the null sender gives MAILER-DAEMON; /dev/null takes anything") {
    TempDir dir;
    Harness h(mbox_conf(dir / "mbox"));
    auto env = test_envelope();
    env.sender = "";
    auto d = h.run({address("bob", "example.net")}, env, "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(slurp(dir / "mbox").rfind("From MAILER-DAEMON ", 0) == 0);
    Harness null(mbox_conf("/dev/null"));
    CHECK(outcome_text(null.run({address("bob", "example.net")}, env, "x\n").results[0]) == "ok");
  }

  TEST_CASE("mbox: modes, symbolic links and non-regular files") {
    TempDir dir;
    std::string mbox = dir / "mbox";
    spit(mbox, "");
    chmod(mbox.c_str(), 0644);
    Harness h(mbox_conf(mbox));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK((fs::status(mbox).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));  // reduced to 0600

    Harness narrow(mbox_conf(mbox, "  mode = 0660\n"));
    d = narrow.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: mailbox " + mbox + " has the wrong mode (0600, should be 0660)");
    Harness lenient(mbox_conf(mbox, "  mode = 0660\n  mode_fail_narrower = false\n"));
    CHECK(lenient.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
          Outcome::Ok);

    std::string link = dir / "link";
    REQUIRE(symlink(mbox.c_str(), link.c_str()) == 0);
    Harness via_link(mbox_conf(link));
    d = via_link.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: mailbox " + link + " is a symbolic link");
    Harness allowed(mbox_conf(link, "  allow_symlink\n"));
    CHECK(allowed.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
          Outcome::Ok);

    fs::create_directory(dir / "adir");
    Harness to_dir(mbox_conf(dir / "adir"));
    d = to_dir.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: mailbox " + dir / "adir" + " is not a regular file");
  }

  TEST_CASE("mbox: a lock file held by someone else, and a stale one") {
    TempDir dir;
    std::string mbox = dir / "mbox";
    spit(mbox + ".lock", "");
    Harness h(mbox_conf(mbox, "  lock_retries = 1\n"));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: failed to lock mailbox " + mbox + " (lock file)");
    CHECK_FALSE(fs::exists(mbox));
    utimbuf old{time(nullptr) - 100, time(nullptr) - 100};
    REQUIRE(utime((mbox + ".lock").c_str(), &old) == 0);
    Harness stale(mbox_conf(mbox,
                            "  lock_retries = 2\n  lock_interval = 0s\n"
                            "  lockfile_timeout = 10s\n"));
    d = stale.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK_FALSE(fs::exists(mbox + ".lock"));
  }

  TEST_CASE("mbox: waits for a concurrent writer's fcntl lock, then appends after it") {
    TempDir dir;
    std::string mbox = dir / "mbox";
    spit(mbox, "");
    chmod(mbox.c_str(), 0600);
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // another MTA or MUA: classic POSIX lock, writes, holds, writes, unlocks
      int fd = open(mbox.c_str(), O_WRONLY | O_APPEND);
      struct flock fl {};
      fl.l_type = F_WRLCK;
      fl.l_whence = SEEK_SET;
      if (fd < 0 || fcntl(fd, F_SETLK, &fl) != 0) _exit(1);
      (void)!write(fd, "From writer\nfirst half\n", 23);
      (void)!write(ready[1], "x", 1);
      usleep(300 * 1000);
      (void)!write(fd, "second half\n\n", 13);
      _exit(0);
    }
    close(ready[1]);
    char c;
    REQUIRE(read(ready[0], &c, 1) == 1);
    close(ready[0]);
    Harness h(
        mbox_conf(mbox, "  use_lockfile = false\n  lock_interval = 1s\n  lock_retries = 5\n"));
    auto start = std::chrono::steady_clock::now();
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "mine\n");
    auto waited = std::chrono::steady_clock::now() - start;
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st));
    CHECK(WEXITSTATUS(st) == 0);
    CHECK(outcome_text(d.results[0]) == "ok");
    CHECK(waited >= std::chrono::milliseconds(900));  // one lock_interval
    std::string text = slurp(mbox);
    CHECK(text.rfind("From writer\nfirst half\nsecond half\n\nFrom alice@example.org ", 0) == 0);
    CHECK(text.find("mine\n\n") == text.size() - 6);
  }

  TEST_CASE("mbox: concurrent deliveries in threads never interleave") {
    TempDir dir;
    std::string mbox = dir / "mbox";
    Harness h(mbox_conf(mbox));
    constexpr int kThreads = 4, kEach = 8;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    auto env = test_envelope();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          std::string body;
          for (int l = 0; l < 200; ++l) body += "thread " + std::to_string(t) + " line\n";
          auto src = transports::MessageSource::from_memory(env, body);
          transports::Delivery d;
          d.message = &src;
          d.addresses = {address("bob", "example.net")};
          h.transport->deliver(d, h.services);  // services.vars null: only built-in values
          if (d.results[0].outcome == Outcome::Ok) ++ok;
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(ok == kThreads * kEach);
    std::string text = slurp(mbox);
    CHECK(count_lines_starting(text, "From ") == kThreads * kEach);
    // Each message's body is all from one thread.
    size_t pos = 0;
    int messages = 0;
    while ((pos = text.find("\n\nthread ", pos)) != std::string::npos) {
      std::string who = text.substr(pos + 2, 9);
      size_t end = text.find("\n\n", pos + 2);
      std::string body = text.substr(pos + 2, end - pos - 2);
      CHECK(count_lines_starting(body, who) == 200);
      pos = end;
      ++messages;
    }
    CHECK(messages == kThreads * kEach);
  }

  TEST_CASE("maildir: layout, one file in new/ per delivery, tags") {
    TempDir dir;
    Harness h(maildir_conf(dir / "Maildir",
                           "  maildir_tag = ,S=$message_size\n"
                           "  envelope_to_add\n"));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "hello\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    for (const char* sub : {"tmp", "new", "cur"}) CHECK(fs::is_directory(dir / "Maildir/" + sub));
    CHECK((fs::status(dir / "Maildir/new").permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK(files_in(dir / "Maildir/tmp").empty());
    auto names = files_in(dir / "Maildir/new");
    REQUIRE(names.size() == 1);
    std::string text = slurp(dir / "Maildir/new/" + names[0]);
    CHECK(text.rfind("Envelope-to: bob@example.net\nReceived: ", 0) == 0);
    CHECK(text.find("\n\nhello\n") == text.size() - 8);
    CHECK(names[0].find(".mx.example.net,S=" + std::to_string(text.size())) != std::string::npos);
    std::regex name_re(R"(\d+\.H\d+P\d+Q\d+\.mx\.example\.net,S=\d+)");
    CHECK_MESSAGE(std::regex_match(names[0], name_re), names[0]);
    CHECK((fs::status(dir / "Maildir/new/" + names[0]).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    h.run({address("bob", "example.net")}, test_envelope(), "again\n");
    CHECK(files_in(dir / "Maildir/new").size() == 2);
  }

  TEST_CASE("maildir: a tag that starts with a letter gets a colon; $home in the directory") {
    TempDir dir;
    Harness h(
        "t:\n  driver = appendfile\n  directory = $home/Maildir\n  maildir_format\n"
        "  maildir_tag = 2,S\n");
    auto a = address("bob", "example.net");
    a.home = dir.path;
    auto d = h.run({a}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    auto names = files_in(dir / "Maildir/new");
    REQUIRE(names.size() == 1);
    CHECK(names[0].size() > 4);
    CHECK(names[0].substr(names[0].size() - 4) == ":2,S");
  }

  TEST_CASE("maildir: quota with maildirsize, quota errors and the warning message") {
    TempDir dir;
    std::vector<transports::NewMessage> sent;
    Harness h(maildir_conf(dir / "Maildir",
                           "  quota = 2K\n  maildir_use_size_file\n"
                           "  quota_warn_threshold = 50%\n"));
    h.services.submit = [&](const transports::NewMessage& m) -> util::Result<std::string> {
      sent.push_back(m);
      return std::string("1xVkcA-000001-00");
    };
    std::string body(600, 'x');
    body += "\n";
    auto d = h.run({address("bob", "example.net")}, test_envelope(), body);
    CHECK(outcome_text(d.results[0]) == "ok");
    std::string size_file = slurp(dir / "Maildir/maildirsize");
    CHECK(size_file.rfind("2048S\n0 0\n", 0) == 0);
    CHECK(sent.empty());
    d = h.run({address("bob", "example.net")}, test_envelope(), body);  // crosses 1024
    CHECK(outcome_text(d.results[0]) == "ok");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].recipients == std::vector<std::string>{"bob@example.net"});
    CHECK(sent[0].text.find("Subject: Your mailbox\n") != std::string::npos);
    d = h.run({address("bob", "example.net")}, test_envelope(), body);  // would pass 2048
    CHECK(outcome_text(d.results[0]) == "defer: mailbox is full");
    CHECK(d.results[0].error == transports::ErrorKind::Quota);
    CHECK(files_in(dir / "Maildir/new").size() == 2);
    CHECK(files_in(dir / "Maildir/tmp").empty());
    // Lines were appended for the two deliveries.
    size_file = slurp(dir / "Maildir/maildirsize");
    CHECK(count_lines_starting(size_file, "0 0") == 1);
    CHECK(std::count(size_file.begin(), size_file.end(), '\n') == 4);
  }

  TEST_CASE("maildir: quota without maildirsize counts the files; quota_filecount; no_check") {
    TempDir dir;
    Harness h(maildir_conf(dir / "Maildir", "  quota = 100K\n  quota_filecount = 2\n"));
    for (int i = 0; i < 2; ++i)
      CHECK(h.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
            Outcome::Ok);
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: mailbox is full");
    Harness forced(maildir_conf(dir / "Maildir", "  quota = 100/no_check\n"));
    CHECK(forced.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
          Outcome::Ok);
  }

  TEST_CASE("maildir++ folders: maildirfolder_create_regex") {
    TempDir dir;
    Harness h(maildir_conf(dir / "Maildir/.lists", "  maildirfolder_create_regex = /\\.[^/]+$\n"));
    CHECK(h.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0].outcome ==
          Outcome::Ok);
    CHECK(fs::exists(dir / "Maildir/.lists/maildirfolder"));
    CHECK_FALSE(fs::exists(dir / "Maildir/maildirfolder"));
  }

  TEST_CASE("create_directory off, create_file inhome") {
    TempDir dir;
    Harness h(maildir_conf(dir / "Maildir", "  no_create_directory\n"));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) ==
          "defer: mailbox directory " + dir / "Maildir" + " does not exist");
    Harness home(maildir_conf(dir / "elsewhere/Maildir", "  create_file = inhome\n"));
    auto a = address("bob", "example.net");
    a.home = dir / "home";
    d = home.run({a}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "defer: file or directory " + dir / "elsewhere/Maildir" +
                                            " is not within " + dir / "home");
  }

  TEST_CASE("directory delivery without maildir: directory_file names the file") {
    TempDir dir;
    Harness h("t:\n  driver = appendfile\n  directory = " + dir / "spool" +
              "\n  directory_file = msg-$inode\n");
    auto d = h.run({address("bob", "example.net")}, test_envelope(), "x\n");
    CHECK(outcome_text(d.results[0]) == "ok");
    auto names = files_in(dir / "spool");
    REQUIRE(names.size() == 1);
    CHECK(names[0].rfind("msg-", 0) == 0);
    CHECK(slurp(dir / "spool/" + names[0]).rfind("Received: ", 0) == 0);  // no From_ line
  }

  TEST_CASE("a file from a redirection ($address_file), with and without a trailing slash") {
    TempDir dir;
    Harness h("t:\n  driver = appendfile\n  delivery_date_add\n");
    auto a = address("bob", "example.net");
    a.file = dir / "saved";
    CHECK(outcome_text(h.run({a}, test_envelope(), "x\n").results[0]) == "ok");
    CHECK(slurp(dir / "saved").rfind("From alice@example.org ", 0) == 0);
    a.file = dir / "folder/";
    CHECK(outcome_text(h.run({a}, test_envelope(), "x\n").results[0]) == "ok");
    CHECK(files_in(dir / "folder").size() == 1);
    Harness none("t:\n  driver = appendfile\n");
    CHECK(outcome_text(
              none.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0]) ==
          "defer: Mandatory file or directory option missing from t transport");
  }

  TEST_CASE("batch SMTP with CRLF line ends") {
    TempDir dir;
    Harness h(mbox_conf(dir / "bsmtp", "  use_bsmtp\n  use_crlf\n  batch_max = 10\n"));
    CHECK(h.transport->max_addresses() == 10);
    auto d = h.run({address("bob", "example.net"), address("carol", "example.net")},
                   test_envelope(), ".leading dot\nend\n");
    CHECK(outcome_text(d.results[1]) == "ok");
    std::string text = slurp(dir / "bsmtp");
    CHECK(text.rfind("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n"
                     "RCPT TO:<carol@example.net>\r\nDATA\r\nReceived: ",
                     0) == 0);
    CHECK(text.ends_with("\r\n\r\n..leading dot\r\nend\r\n.\r\n"));
  }

  TEST_CASE("message_size_limit fails the address; headers_remove with a wildcard") {
    TempDir dir;
    Harness h(mbox_conf(dir / "mbox", "  message_size_limit = 100\n"));
    auto d = h.run({address("bob", "example.net")}, test_envelope(), std::string(200, 'x'));
    CHECK(outcome_text(d.results[0]) == "fail: message is too big (transport limit = 100)");
    Harness rm(mbox_conf(dir / "mbox2", "  headers_remove = Sub*:received\n"));
    rm.run({address("bob", "example.net")}, test_envelope(), "x\n");
    std::string text = slurp(dir / "mbox2");
    CHECK(text.find("Subject:") == std::string::npos);
    CHECK(text.find("Received:") == std::string::npos);
    CHECK(text.find("From: Alice") != std::string::npos);
  }

  TEST_CASE("headers_rewrite applies to the message's headers, not to added ones") {
    TempDir dir;
    Harness h(mbox_conf(dir / "mbox",
                        "  headers_rewrite = *@example.org $1@rewritten.example f\n"
                        "  headers_add = Reply-To: alice@example.org\n"
                        "  return_path_add\n"));
    CHECK(outcome_text(h.run({address("bob", "example.net")}, test_envelope(), "x\n").results[0]) ==
          "ok");
    std::string text = slurp(dir / "mbox");
    CHECK(text.find("\nFrom: Alice <alice@rewritten.example>\n") != std::string::npos);
    CHECK(text.find("\nReply-To: alice@example.org\n") != std::string::npos);
    CHECK(text.find("\nReturn-path: <alice@example.org>\n") != std::string::npos);
    CHECK(transport_config_error("t:\n  driver = appendfile\n  file = /x\n"
                                 "  headers_rewrite = a@b c@d F\n") ==
          "test.conf:5: transport t: headers_rewrite: rewrite flag 'F' is not allowed in "
          "headers_rewrite");
  }

  TEST_CASE("configuration errors") {
    auto err = transport_config_error;
    CHECK(err("t:\n  driver = appendfile\n  file = /a\n  directory = /b\n") ==
          "test.conf:2: transport t: only one of \"file\" or \"directory\" can be specified");
    CHECK(err("t:\n  driver = appendfile\n  file = /a\n  mbx_format\n") ==
          "test.conf:2: transport t: mbx_format is not supported");
    CHECK(err("t:\n  driver = appendfile\n  file = /a\n  use_lockfile = false\n"
              "  use_fcntl_lock = false\n") ==
          "test.conf:2: transport t: use_lockfile, use_fcntl_lock and use_flock_lock are all "
          "false");
    CHECK(err("t:\n  driver = appendfile\n  maildir_tg = x\n") ==
          "test.conf:4: option \"maildir_tg\" unknown in transport \"t\" (driver appendfile); "
          "did you mean \"maildir_tag\"?");
  }

  TEST_CASE("as root: files and directories belong to the recipient") {
    if (geteuid() != 0) return;  // needs root (CI runs the tests as root)
    TempDir dir;
    auto nobody = util::find_user("nobody");
    REQUIRE(nobody.has_value());
    fs::permissions(dir.path, fs::perms::all);  // the user must be able to create in it
    Harness h(maildir_conf(dir / "home/Maildir"));
    auto a = address("bob", "example.net");
    a.uid = nobody->uid;
    a.gid = nobody->gid;
    fs::create_directory(dir / "home");
    chown((dir / "home").c_str(), nobody->uid, nobody->gid);
    auto d = h.run({a}, test_envelope(), "x\n");
    REQUIRE(outcome_text(d.results[0]) == "ok");
    auto names = files_in(dir / "home/Maildir/new");
    REQUIRE(names.size() == 1);
    struct stat st {};
    REQUIRE(stat((dir / "home/Maildir/new/" + names[0]).c_str(), &st) == 0);
    CHECK(st.st_uid == nobody->uid);
    REQUIRE(stat((dir / "home/Maildir").c_str(), &st) == 0);
    CHECK(st.st_uid == nobody->uid);
    // The user's permissions apply: a directory the user cannot write is refused.
    fs::create_directory(dir / "rootonly");
    fs::permissions(dir / "rootonly", fs::perms::owner_all);
    Harness h2(mbox_conf(dir / "rootonly/mbox"));
    d = h2.run({a}, test_envelope(), "x\n");
    CHECK(d.results[0].outcome == Outcome::Defer);
    CHECK_FALSE(fs::exists(dir / "rootonly/mbox"));
  }
}

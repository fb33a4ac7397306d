// Format compatibility with the real Exim: messages written by facteur's spool writer are
// listed by `exim4 -bp`, parsed by exipick and delivered by `exim4 -M`. Runs only when exim4
// is installed (the project never needs it); otherwise the test says it was skipped.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/message_id.h"
#include "engine/queue_list.h"
#include "engine/spool.h"

namespace fs = std::filesystem;
using engine::SpoolMessage;

namespace {

std::string find_tool(const char* name) {
  for (const char* dir : {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
    std::string p = std::string(dir) + "/" + name;
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

std::string run(const std::string& cmd) {
  std::string out;
  std::FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string ours(const engine::SpoolLayout& layout, std::string_view letters) {
  auto o = engine::queue_list_options(letters);
  REQUIRE(o);
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  (void)engine::queue_list(layout, *o, f);
  std::fclose(f);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

SpoolMessage smtp_message(const std::string& id, int64_t now) {
  SpoolMessage m;
  m.id = id;
  m.login = "Debian-exim";
  m.uid = getuid();
  m.gid = getgid();
  m.sender = "alice@example.org";
  m.received_time = now - 7300;
  m.set_var("received_time_usec", ".123456");
  m.set_var("helo_name", "client.example", true);
  m.set_var("host_address", engine::spool_format_host_address("192.0.2.7", 4321), true);
  m.set_var("interface_address", engine::spool_format_host_address("10.0.0.1", 25), true);
  m.set_var("received_protocol", "esmtpa");
  m.set_var("auth_id", "alice", true);
  m.set_var("host_auth", "plain");
  m.set_var("body_linecount", "3");
  m.set_flag("deliver_firsttime");
  m.acl_vars.push_back({'m', "_foo", "hello world", false});
  m.acl_vars.push_back({'c', "_bar", "multi\nline", false});
  engine::SpoolRecipient bob, carol;
  bob.address = "bob@example.net";
  carol.address = "carol@example.net";
  carol.has_dsn = true;
  carol.orcpt = "rfc822;carol@example.net";
  carol.dsn_flags = engine::kDsnFailure | engine::kDsnDelay;  // no success DSN
  m.recipients = {bob, carol};
  m.headers.push_back({'P',
                       "Received: from client.example ([192.0.2.7])\n\tby mx.example.org "
                       "with esmtpa (facteur)\n\tid " +
                           id + "; Tue, 24 Nov 2026 06:56:53 +0000\n"});
  m.headers.push_back({'F', "From: Alice <alice@example.org>\n"});
  m.headers.push_back({'T', "To: bob@example.net,\n  carol@example.net\n"});
  m.headers.push_back({' ', "Subject: compatibility\n"});
  return m;
}

std::string config(const std::string& dir, bool split) {
  std::string uid = std::to_string(getuid()), gid = std::to_string(getgid());
  return "spool_directory = " + dir + "/spool\n" + "log_file_path = " + dir + "/log/%slog\n" +
         "exim_user = " + uid + "\n" + "exim_group = " + gid + "\n" +
         "primary_hostname = mx.example.org\n" + (split ? "split_spool_directory\n" : "") +
         "begin routers\nall:\n  driver = accept\n  transport = mbox\n"
         "begin transports\nmbox:\n  driver = appendfile\n  file = " +
         dir + "/mail/mbox\n  user = " + (getuid() == 0 ? "nobody" : uid) + "\n";
}

}  // namespace

TEST_SUITE("engine.spool_exim") {
  TEST_CASE("exim4 reads facteur's spool") {
    std::string exim = find_tool("exim4"), exipick = find_tool("exipick");
    if (exim.empty()) {
      MESSAGE("exim4 is not installed: compatibility test skipped");
      return;
    }
    for (bool split : {false, true}) {
      char tmpl[] = "/tmp/facteur-exim-XXXXXX";
      REQUIRE(mkdtemp(tmpl) != nullptr);
      std::string dir = tmpl;
      fs::create_directories(dir + "/log");
      fs::create_directories(dir + "/mail");
      chmod(dir.c_str(), 0755);
      chmod((dir + "/mail").c_str(), 01777);
      std::ofstream(dir + "/exim.conf") << config(dir, split);
      engine::SpoolLayout layout{dir + "/spool", split};
      REQUIRE(engine::spool_make_dirs(layout));
      engine::SpoolCommitter committer;
      int64_t now = time(nullptr);
      engine::MessageIdSource ids(static_cast<uint64_t>(getpid()));
      std::string id1 = ids.next().id, id2 = ids.next().id;
      REQUIRE(engine::spool_write_message(committer, layout, smtp_message(id1, now),
                                          "hello\n.dot\nbye\n"));
      SpoolMessage bounce = smtp_message(id2, now);
      bounce.sender = "";
      bounce.vars.clear();
      bounce.set_flag("localerror");
      bounce.set_var("frozen", std::to_string(now));
      bounce.non_recipients = {"bob@example.net"};
      REQUIRE(engine::spool_write_message(committer, layout, bounce, "bounce body\n"));
      std::string conf = " -C " + dir + "/exim.conf ";

      for (const char* letters : {"", "a", "u", "c"})
        CHECK_MESSAGE(run(exim + conf + "-bp" + letters) == ours(layout, letters), "-bp", letters);
      CHECK(ours(layout, "").find(id1) != std::string::npos);

      if (!exipick.empty()) {
        std::string vars = run(exipick + " --spool " + dir + "/spool --show-vars " +
                               "sender_address,sender_host_address,sender_host_port,"
                               "sender_helo_name,authenticated_id,acl_m_foo,message_size,"
                               "recipients_count -i");
        size_t at = vars.find(id1);  // one line per message
        if (at != std::string::npos) vars.erase(0, at);
        CHECK_MESSAGE(vars.find("Couldn't parse") == std::string::npos, vars);
        CHECK(vars.find("sender_address='alice@example.org'") != std::string::npos);
        CHECK(vars.find("sender_host_address='192.0.2.7'") != std::string::npos);
        CHECK(vars.find("sender_host_port='4321'") != std::string::npos);
        CHECK(vars.find("sender_helo_name='client.example'") != std::string::npos);
        CHECK(vars.find("authenticated_id='alice'") != std::string::npos);
        CHECK(vars.find("acl_m_foo='hello world'") != std::string::npos);
      }

      // Exim delivers the message: it read the envelope, the headers and the body.
      run(exim + conf + "-M " + id1);
      std::ifstream mb(dir + "/mail/mbox");
      std::stringstream got;
      got << mb.rdbuf();
      CHECK_MESSAGE(
          got.str().find("Subject: compatibility\n\nhello\n.dot\nbye\n") != std::string::npos,
          got.str());
      CHECK_FALSE(fs::exists(layout.header_path(id1)));
      std::error_code ec;
      if (!getenv("KEEP")) fs::remove_all(dir, ec);
    }
  }
}

#include "engine/queue_list.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using engine::SpoolMessage;

namespace {

struct TempSpool {
  TempSpool() {
    char tmpl[] = "/tmp/facteur-queue-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    layout.directory = tmpl;
    REQUIRE(engine::spool_make_dirs(layout));
  }
  ~TempSpool() { fs::remove_all(layout.directory); }
  engine::SpoolLayout layout;
};

constexpr int64_t kNow = 1795503417;

SpoolMessage msg(std::string id, std::string sender, int64_t age, std::vector<std::string> rcpts) {
  SpoolMessage m;
  m.id = std::move(id);
  m.sender = std::move(sender);
  m.received_time = kNow - age;
  for (auto& r : rcpts) {
    engine::SpoolRecipient sr;
    sr.address = r;
    m.recipients.push_back(sr);
  }
  m.headers.push_back({' ', "Subject: queue test\n"});  // 20 bytes
  return m;
}

std::string run(const engine::SpoolLayout& layout, engine::QueueListOptions o) {
  o.now = kNow;
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  CHECK(engine::queue_list(layout, o, out) == 0);
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

}  // namespace

TEST_SUITE("engine.queue_list") {
  TEST_CASE("ages and sizes as Exim prints them") {
    struct {
      int64_t secs;
      const char* want;
    } ages[] = {{0, " 0m"},      {59, " 0m"},         {5430, "90m"},   {5460, " 2h"},
                {8999, " 2h"},   {9000, " 3h"},       {260940, "72h"}, {261060, " 3d"},
                {302399, " 4d"}, {86400000, "1000d"}, {-300, "-5m"}};
    for (auto& a : ages) CHECK_MESSAGE(engine::queue_format_age(a.secs) == a.want, a.secs);
    struct {
      int64_t bytes;
      const char* want;
    } sizes[] = {{1, "    1"},       {999, "  999"},     {1023, " 1023"},
                 {1533, " 1.5K"},    {10237, "10.0K"},   {102397, " 100K"},
                 {1048573, "1024K"}, {5542877, " 5.3M"}, {2147483645, "2048M"}};
    for (auto& s : sizes) CHECK_MESSAGE(engine::queue_format_size(s.bytes) == s.want, s.bytes);
  }

  TEST_CASE("the listing and its variants") {
    TempSpool t;
    engine::SpoolCommitter c;
    SpoolMessage a = msg("1xVkSX-0008Qu-3A", "alice@example.org", 125 * 60, {"b@x", "c@x"});
    a.non_recipients = {"b@x", "generated@y"};
    a.set_var("frozen", "1795500000");
    SpoolMessage b = msg("1xVkST-0008Pn-17", "", 30, {"alice@example.org"});
    SpoolMessage u = msg("1xVkTL-0000Ch-2V", "fake@example.org", 61 * 60, {"d@x"});
    u.login = "mallory";
    u.set_flag("sender_set_untrusted");
    REQUIRE(engine::spool_write_message(c, t.layout, a, std::string(2000, 'x')));
    REQUIRE(engine::spool_write_message(c, t.layout, b, ""));
    REQUIRE(engine::spool_write_message(c, t.layout, u, "hi\n"));
    std::string all = run(t.layout, {});
    CHECK(all ==
          " 0m    21 1xVkST-0008Pn-17 <>\n"
          "          alice@example.org\n"
          "\n"
          " 2h  2.0K 1xVkSX-0008Qu-3A <alice@example.org> *** frozen ***\n"
          "        D b@x\n"
          "          c@x\n"
          "\n"
          "61m    24 1xVkTL-0000Ch-2V <fake@example.org> (mallory)\n"
          "          d@x\n"
          "\n");
    engine::QueueListOptions ua;
    ua.undelivered_only = true;
    ua.ids = {"1xVkSX-0008Qu-3A"};
    CHECK(run(t.layout, ua) ==
          " 2h  2.0K 1xVkSX-0008Qu-3A <alice@example.org> *** frozen ***\n          c@x\n\n");
    engine::QueueListOptions aa;
    aa.all_addresses = true;
    aa.ids = {"1xVkSX-0008Qu-3A"};
    CHECK(run(t.layout, aa).ends_with("        D b@x\n          c@x\n       +D generated@y\n\n"));
    engine::QueueListOptions count;
    count.count_only = true;
    CHECK(run(t.layout, count) == "3\n");
  }

  TEST_CASE("missing and damaged messages") {
    TempSpool t;
    engine::QueueListOptions o;
    o.ids = {"1xVkSX-0008Qu-3A"};
    CHECK(run(t.layout, o) ==
          "      1xVkSX-0008Qu-3A\n    *** spool read error: No such file or directory ***\n\n");
    std::ofstream(t.layout.header_path("1xVkSX-0008Qu-3A"))
        << "1xVkSX-0008Qu-3A-H\nroot 0 0\n<a@b>\n"
        << kNow << " 0\nXX\n2\nr1@x\n";
    CHECK(run(t.layout, o) ==
          "      1xVkSX-0008Qu-3A\n    *** spool format error: size=57 ***\n\n");
    std::ofstream(t.layout.header_path("1xVkSX-0008Qu-3A"))
        << "1xVkSX-0008Qu-3A-H\nroot 0 0\n<a@b>\n"
        << kNow << " 0\n-frozen 1\nXX\n1\nr1@x\n\n099 x\n";
    CHECK(
        run(t.layout, o) ==
        " 0m     1 1xVkSX-0008Qu-3A <a@b>\n    *** spool format error: size=74 *** *** frozen ***\n"
        "          r1@x\n\n");
    CHECK(run(t.layout, {}).starts_with(" 0m"));
  }

  TEST_CASE("option letters") {
    CHECK(engine::queue_list_options("ru")->undelivered_only);
    CHECK(engine::queue_list_options("c")->count_only);
    CHECK(engine::queue_list_options("ra")->all_addresses);
    auto bad = engine::queue_list_options("x");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "unknown, unsupported, or incomplete option -bpx");
  }
}

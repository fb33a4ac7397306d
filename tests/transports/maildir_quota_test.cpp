// transports/maildir_quota: directory sums, sizes from names, the maildirsize file.
#include "transports/maildir_quota.h"

#include <doctest/doctest.h>

#include "tests/transports/fixture.h"

using namespace transport_test;

TEST_SUITE("transports.maildir_quota") {
  TEST_CASE("sizes from the tree, from file names, and through maildirsize") {
    TempDir dir;
    for (const char* d : {"cur", "new", "tmp", ".Trash/cur", ".Trash/new"})
      fs::create_directories(dir / d);
    spit(dir / "cur/1.a,S=100", "12345");
    spit(dir / "new/2.b", "1234567890");
    spit(dir / "tmp/3.c", "ignored in maildirs");
    spit(dir / ".Trash/cur/4.d,S=7", "1234567");
    spit(dir / "dovecot-uidlist", "top-level files do not count in maildirs");
    std::shared_ptr<const lang::Regex> size_re, dirs;
    REQUIRE(lang::Regex::compile(",S=(\\d+)", size_re).is_ok());
    REQUIRE(lang::Regex::compile("^(?:cur|new|\\..*)$", dirs).is_ok());
    auto all = transports::directory_usage(dir.path, nullptr, nullptr);
    CHECK(all.count == 5);
    auto md = transports::directory_usage(dir.path, size_re.get(), dirs.get());
    CHECK(md.count == 3);
    CHECK(md.size == 100 + 10 + 7);
    auto u = transports::maildirsize_read(dir.path, 5000, 0, size_re.get(), dirs.get(), 0600);
    REQUIRE(u.ok());
    CHECK(u->size == 117);
    CHECK(slurp(dir / "maildirsize") == "5000S\n117 3\n");
    REQUIRE(transports::maildirsize_add(dir.path, 50, 1));
    u = transports::maildirsize_read(dir.path, 5000, 0, size_re.get(), dirs.get(), 0600);
    CHECK(u->size == 167);
    CHECK(u->count == 4);
    // A different quota, or a damaged file, makes it recomputed from the tree.
    u = transports::maildirsize_read(dir.path, 9000, 10, size_re.get(), dirs.get(), 0600);
    CHECK(u->size == 117);
    CHECK(slurp(dir / "maildirsize") == "9000S,10C\n117 3\n");
    spit(dir / "maildirsize", "9000S,10C\ngarbage\n");
    u = transports::maildirsize_read(dir.path, 9000, 10, size_re.get(), dirs.get(), 0600);
    CHECK(u->size == 117);
  }
}

// Tests for routers/redirect_file: the checks on a redirection file (modemask, owner, group,
// regular file, missing files) and, when the tests run as root, reading as the user.
#include "routers/redirect_file.h"

#include <doctest/doctest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/engine/route_helper.h"

using routers::RedirectFileChecks;
using routers::RedirectFileStatus;

namespace {

struct TempDir {
  TempDir() {
    char t[] = "/tmp/facteur-rdfile-XXXXXX";
    REQUIRE(mkdtemp(t) != nullptr);
    path = t;
    ::chmod(path.c_str(), 0755);  // the user the file is read as must reach it
  }
  ~TempDir() { (void)std::system(("rm -rf " + path).c_str()); }
  std::string file(const std::string& name, const std::string& text, mode_t mode) {
    std::string p = path + "/" + name;
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
    return p;
  }
  std::string path;
};

struct Read {
  RedirectFileStatus status;
  std::string data, error;
};

Read read(const std::string& path, const RedirectFileChecks& c) {
  Read r;
  r.status = routers::read_redirect_file(path, c, r.data, r.error);
  return r;
}

}  // namespace

TEST_SUITE("routers.redirect_file") {
  TEST_CASE("modemask, owners, groups, regular files") {
    TempDir d;
    std::string ok = d.file("ok", "a@b.example\n", 0600);
    std::string loose = d.file("loose", "x\n", 0666);
    RedirectFileChecks c;
    Read r = read(ok, c);
    CHECK(r.status == RedirectFileStatus::Ok);
    CHECK(r.data == "a@b.example\n");
    r = read(loose, c);
    CHECK(r.status == RedirectFileStatus::Error);
    CHECK(r.error == "bad mode (0666) for " + loose + ": 022 bit(s) unexpected");
    CHECK(read(d.path, c).error == d.path + " is not a regular file");
    c.check_owner = true;
    c.owners = {::getuid() + 1};
    CHECK(read(ok, c).error == "bad owner for " + ok);
    c.owners.push_back(::getuid());
    CHECK(read(ok, c).status == RedirectFileStatus::Ok);
    c.check_group = true;
    c.groups = {::getgid() + 1};
    CHECK(read(ok, c).error == "bad group for " + ok);
  }

  TEST_CASE("missing files: the directory decides, unless ignore_enotdir") {
    TempDir d;
    RedirectFileChecks c;
    CHECK(read(d.path + "/none", c).status == RedirectFileStatus::Missing);
    Read r = read(d.path + "/nodir/none", c);
    CHECK(r.status == RedirectFileStatus::Error);
    CHECK(r.error == "failed to open " + d.path + "/nodir/none: No such file or directory");
    c.ignore_enotdir = true;
    CHECK(read(d.path + "/nodir/none", c).status == RedirectFileStatus::Missing);
  }

  TEST_CASE("as root: the file is read as the user, so a link to root's file is refused") {
    if (::geteuid() != 0) return;  // CI runs as root
    struct passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    TempDir d;
    std::string secret = d.file("secret", "root only\n", 0600);
    std::string mine = d.file("mine", "user@example.org\n", 0600);
    REQUIRE(::chown(mine.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    std::string link = d.path + "/forward";
    REQUIRE(::symlink(secret.c_str(), link.c_str()) == 0);
    RedirectFileChecks c;
    c.uid = nobody->pw_uid;
    c.gid = nobody->pw_gid;
    Read r = read(mine, c);
    CHECK(r.status == RedirectFileStatus::Ok);
    CHECK(r.data == "user@example.org\n");
    r = read(link, c);
    CHECK(r.status == RedirectFileStatus::Error);
    CHECK(r.error == "failed to open " + link + ": Permission denied");
    CHECK(r.data.empty());
    c.ignore_eacces = true;
    CHECK(read(link, c).status == RedirectFileStatus::Missing);
  }

  TEST_CASE("owners and owngroups: names and numbers") {
    std::vector<uid_t> uids;
    std::string bad;
    CHECK(routers::parse_uid_list("root : 12", uids, bad));
    CHECK(uids == std::vector<uid_t>{0, 12});
    CHECK_FALSE(routers::parse_uid_list("root:no-such-user-here", uids, bad));
    CHECK(bad == "no-such-user-here");
    std::vector<gid_t> gids;
    CHECK(routers::parse_gid_list("root", gids, bad));
    CHECK(gids == std::vector<gid_t>{0});
  }

  TEST_CASE("the redirect router: check_owner against the router's user, defers on a bad owner") {
    if (::geteuid() != 0) return;
    TempDir d;
    std::string list = d.file("list", "someone@example.net\n", 0644);
    testroute::Routing r(testroute::conf("forward:\n  driver = redirect\n  file = " + list +
                                         "\n  user = nobody\n  owners = nobody\n"
                                         "accept:\n  driver = accept\n  transport = local\n"));
    auto f = r.route("x@example.org");
    CHECK(f.top == routers::RouterResult::Defer);
    CHECK(f.address->message == "bad owner for " + list);
    struct passwd* nobody = ::getpwnam("nobody");
    REQUIRE(::chown(list.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    f = r.route("x@example.org");
    REQUIRE(f.lists.local.size() == 1);
    CHECK(f.lists.local[0]->address == "someone@example.net");
  }
}

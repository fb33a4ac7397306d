// util/fs_identity: the thread's file-system identity for a scope (root only).
#include "util/fs_identity.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "util/users.h"

TEST_SUITE("util.fs_identity") {
  TEST_CASE("without root nothing changes; with root files belong to the user") {
    auto nobody = util::find_user("nobody");
    REQUIRE(nobody.has_value());
    char tmpl[] = "/tmp/facteur-fsid-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    std::string dir = tmpl;
    chmod(dir.c_str(), 0777);
    // A thread started before the switch keeps the process's identity (threads started
    // inside the scope would inherit the switched one, as clone() copies credentials).
    std::promise<void> go;
    uid_t other = 12345;
    std::thread t([&, ready = go.get_future()]() mutable {
      ready.wait();
      int fd2 = open((dir + "/g").c_str(), O_WRONLY | O_CREAT, 0600);
      struct stat st {};
      fstat(fd2, &st);
      other = st.st_uid;
      close(fd2);
    });
    {
      auto id = util::ScopedFsIdentity::enter(nobody->uid, nobody->gid, {});
      REQUIRE(id.ok());
      CHECK(id->active() == (geteuid() == 0));
      int fd = open((dir + "/f").c_str(), O_WRONLY | O_CREAT, 0600);
      REQUIRE(fd >= 0);
      close(fd);
      go.set_value();
      t.join();
      CHECK(other == geteuid());
    }
    struct stat st {};
    REQUIRE(stat((dir + "/f").c_str(), &st) == 0);
    CHECK(st.st_uid == (geteuid() == 0 ? nobody->uid : geteuid()));
    int fd = open((dir + "/h").c_str(), O_WRONLY | O_CREAT, 0600);  // restored afterwards
    fstat(fd, &st);
    close(fd);
    CHECK(st.st_uid == geteuid());
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("users and groups by name and number") {
    auto root = util::find_user("root");
    REQUIRE(root.has_value());
    CHECK(root->uid == 0);
    CHECK(root->home == "/root");
    auto numeric = util::find_user("54321");
    REQUIRE(numeric.has_value());
    CHECK(numeric->uid == 54321);
    CHECK_FALSE(util::find_user("no-such-user-here").has_value());
    CHECK(util::find_group("root") == gid_t{0});
    CHECK_FALSE(util::find_group("no-such-group-here").has_value());
  }
}

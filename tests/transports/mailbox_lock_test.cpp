// transports/mailbox_lock: lock files and OFD fcntl locks, also between threads of a process.
#include "transports/mailbox_lock.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/transports/fixture.h"

using namespace transport_test;
using transports::LockResult;

TEST_SUITE("transports.mailbox_lock") {
  TEST_CASE("a lock file is exclusive and leaves no hitching post") {
    TempDir dir;
    std::string err, lock = dir / "mbox.lock";
    CHECK(transports::dotlock_acquire(lock, 0600, 1800, "host", err) == LockResult::Ok);
    CHECK(transports::dotlock_acquire(lock, 0600, 1800, "host", err) == LockResult::Busy);
    CHECK(files_in(dir.path) == std::vector<std::string>{"mbox.lock"});
    transports::dotlock_release(lock);
    CHECK(files_in(dir.path).empty());
  }

  TEST_CASE("fcntl locks conflict between two descriptors of one process") {
    TempDir dir;
    std::string path = dir / "mbox";
    spit(path, "");
    int a = open(path.c_str(), O_WRONLY), b = open(path.c_str(), O_WRONLY);
    std::string err;
    CHECK(transports::fcntl_lock(a, 0, err) == LockResult::Ok);
    CHECK(transports::fcntl_lock(b, 0, err) == LockResult::Busy);
    CHECK(transports::flock_lock(a, 0, err) == LockResult::Ok);
    CHECK(transports::flock_lock(b, 0, err) == LockResult::Busy);
    close(a);
    CHECK(transports::fcntl_lock(b, 1, err) == LockResult::Ok);
    close(b);
  }
}

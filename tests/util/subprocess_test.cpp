#include <doctest/doctest.h>

#include "util/subprocess.h"

TEST_SUITE("util.subprocess") {
  TEST_CASE("output, status, missing program") {
    auto r = util::subprocess_run({"/bin/sh", "-c", "echo out; echo err >&2; exit 4"}, 10);
    CHECK(r.error.empty());
    CHECK(r.output == "out\nerr\n");
    CHECK(r.exit_status == 4);
    CHECK(!r.signaled);
    r = util::subprocess_run({"/no/such/program"}, 10);
    CHECK(r.exit_status == 127);
    r = util::subprocess_run({}, 10);
    CHECK(r.exit_status == 127);
    r = util::subprocess_run({"/bin/cat"}, 10);  // standard input is empty
    CHECK(r.output.empty());
    CHECK(r.exit_status == 0);
  }
  TEST_CASE("signals and time limit") {
    auto r = util::subprocess_run({"/bin/sh", "-c", "kill -9 $$"}, 10);
    CHECK(r.signaled);
    CHECK(r.signal == 9);
    r = util::subprocess_run({"/bin/sleep", "30"}, 1);
    CHECK(r.timed_out);
  }
  TEST_CASE("output limit") {
    auto r = util::subprocess_run({"/bin/sh", "-c", "head -c 100000 /dev/zero"}, 10, 1000);
    CHECK(r.output.size() <= 1000 + 8192);
    CHECK(r.exit_status == 0);
  }
}

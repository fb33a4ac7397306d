// Tests for engine/daemon/process: the descriptor limit is raised to the hard limit, and the
// pid file holds our pid and goes away with us.
#include "engine/daemon/process.h"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

TEST_SUITE("daemon process") {
  TEST_CASE("raise_fd_limit: the soft limit becomes the hard limit") {
    long n = engine::daemon::raise_fd_limit();
    rlimit rl{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    CHECK(rl.rlim_cur == rl.rlim_max);
    if (rl.rlim_cur != RLIM_INFINITY) CHECK(n == static_cast<long>(rl.rlim_cur));
  }

  TEST_CASE("the pid file holds our pid while we live") {
    std::string path =
        std::filesystem::temp_directory_path() / ("facteur-pid-" + std::to_string(getpid()));
    {
      engine::daemon::PidFile pf(path);
      std::ifstream in(path);
      long pid = 0;
      REQUIRE(static_cast<bool>(in >> pid));
      CHECK(pid == static_cast<long>(getpid()));
    }
    CHECK_FALSE(std::filesystem::exists(path));
    {
      engine::daemon::PidFile pf(path);
      std::ofstream(path) << "1\n";  // another daemon's now: left alone
    }
    CHECK(std::filesystem::exists(path));
    std::filesystem::remove(path);
    engine::daemon::PidFile none("");  // no file asked for
  }
}

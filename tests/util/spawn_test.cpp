// util/spawn: pipes both ways, environment, directory, exec failures told apart, timeouts.
#include "util/spawn.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "util/subprocess.h"

namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

auto soon(int seconds) {
  return std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
}

}  // namespace

TEST_SUITE("util.spawn") {
  TEST_CASE("input, output, environment, directory and PATH search") {
    util::SpawnOptions o;
    o.env = {"GREETING=hello"};
    o.path = "/nonexistent:/bin:/usr/bin";
    o.cwd = "/tmp";
    auto c = util::spawn({"sh", "-c", "read x; echo \"$GREETING $x $(pwd)\"; echo err >&2"}, o);
    REQUIRE(c.ok());
    REQUIRE(write(c->to_child, "world\n", 6) == 6);
    close(c->to_child);
    CHECK(read_all(c->from_child) == "hello world /tmp\nerr\n");
    auto e = util::wait_child(c->pid, soon(10));
    CHECK(e.exited);
    CHECK(e.status == 0);
  }

  TEST_CASE("T-LOCAL-3: the child inherits no descriptor beyond 0, 1 and 2") {
    // As a spool file, socket or a caller's descriptor would be: open, without CLOEXEC.
    int null_fd = open("/dev/null", O_RDONLY);
    int leaked = fcntl(null_fd, F_DUPFD, 50);
    close(null_fd);
    REQUIRE(leaked >= 50);
    util::SpawnOptions o;
    o.stdin_pipe = false;
    auto c = util::spawn({"/bin/sh", "-c", "ls /proc/self/fd"}, o);
    REQUIRE(c.ok());
    // ls itself opens one descriptor to read the directory: 0, 1, 2 and that one.
    std::string fds = read_all(c->from_child);
    CHECK(fds.find("\n" + std::to_string(leaked) + "\n") == std::string::npos);
    int count = 0;
    for (char ch : fds) count += ch == '\n';
    CHECK(count <= 4);
    util::wait_child(c->pid, soon(10));
    auto r = util::subprocess_run({"/bin/sh", "-c", "ls /proc/self/fd | wc -l"}, 10);
    CHECK(std::stoi(r.output) <= 4);
    close(leaked);
  }

  TEST_CASE("exec failures and set-up failures are errors; exit statuses and signals are not") {
    util::SpawnError err;
    auto missing = util::spawn({"/no/such/program"}, {}, &err);
    REQUIRE_FALSE(missing.ok());
    CHECK(err.exec_errno == ENOENT);
    CHECK(missing.error().message ==
          "failed to execute /no/such/program: No such file or directory");
    util::SpawnOptions bad_dir;
    bad_dir.cwd = "/no/such/dir";
    auto nodir = util::spawn({"/bin/true"}, bad_dir, &err);
    REQUIRE_FALSE(nodir.ok());
    CHECK(err.exec_errno == 0);
    CHECK(nodir.error().message == "failed to chdir to /no/such/dir: No such file or directory");
    auto c = util::spawn({"/bin/sh", "-c", "exit 7"}, {});
    REQUIRE(c.ok());
    close(c->to_child);
    read_all(c->from_child);
    auto e = util::wait_child(c->pid, soon(10));
    CHECK(e.status == 7);
  }

  TEST_CASE("a deadline kills the process group") {
    util::SpawnOptions o;
    o.stdin_pipe = false;
    auto c = util::spawn({"/bin/sh", "-c", "sleep 30 & sleep 30"}, o);
    REQUIRE(c.ok());
    auto start = std::chrono::steady_clock::now();
    auto e =
        util::wait_child(c->pid, std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
    CHECK(e.timed_out);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    CHECK(read_all(c->from_child).empty());  // the background sleep died too (EOF)
  }
}

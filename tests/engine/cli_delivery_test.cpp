#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/cli.h"

namespace {

engine::CommandLine parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto cl = engine::parse_command_line(static_cast<int>(argv.size()), argv.data());
  INFO(args[1]);
  REQUIRE(cl.ok());
  return *cl;
}

std::string error_of(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto cl = engine::parse_command_line(static_cast<int>(argv.size()), argv.data());
  return cl.ok() ? "" : cl.error().message;
}

}  // namespace

TEST_SUITE("cli_delivery") {
  TEST_CASE("-q and its flags") {
    auto cl = parse({"facteur", "-qqff"});
    CHECK(cl.queue.given);
    CHECK(cl.queue.two_stage);
    CHECK(cl.queue.force);
    CHECK(cl.queue.force_frozen);
    CHECK(cl.queue.interval.empty());
    cl = parse({"facteur", "-bd", "-q30m"});
    CHECK(cl.mode == engine::Mode::Daemon);
    CHECK(cl.queue.interval == "30m");
    cl = parse({"facteur", "-qfl", "1xYiks-0002wi-1F", "1xYiks-0002wi-1G"});
    CHECK(cl.queue.local_only);
    CHECK(cl.args.size() == 2);
    CHECK(error_of({"facteur", "-qx"}) == "unknown, unsupported, or incomplete option -qx");
  }

  TEST_CASE("-R and -S, with and without flags") {
    auto cl = parse({"facteur", "-R", "example.com"});
    CHECK(cl.queue.given);
    CHECK(cl.queue.recipient == "example.com");
    cl = parse({"facteur", "-Rff", "x"});
    CHECK(cl.queue.force_frozen);
    CHECK(cl.queue.recipient == "x");
    cl = parse({"facteur", "-Sr", "^bob@"});
    CHECK(cl.queue.sender == "^bob@");
    CHECK(cl.queue.sender_regex);
    cl = parse({"facteur", "-qRexample.org"});
    CHECK(cl.queue.recipient == "example.org");
    CHECK(error_of({"facteur", "-R"}) == "-R must be followed by a string");
  }

  TEST_CASE("-M family, -brt, -od?, -F, -N, ignored sendmail options") {
    auto cl = parse({"facteur", "-Mrm", "1xYiks-0002wi-1F"});
    CHECK(cl.mode == engine::Mode::MsgAction);
    CHECK(cl.msg_action == "-Mrm");
    CHECK(parse({"facteur", "-brt", "x.example"}).mode == engine::Mode::RetryTest);
    CHECK(parse({"facteur", "-odq"}).deliver_mode == engine::DeliverMode::Queue);
    CHECK(parse({"facteur", "-odi"}).deliver_mode == engine::DeliverMode::Foreground);
    CHECK(parse({"facteur", "-odqs"}).deliver_mode == engine::DeliverMode::QueueSmtp);
    CHECK(parse({"facteur", "-F", "Joe User"}).full_name == "Joe User");
    CHECK(parse({"facteur", "-FJoe"}).full_name == "Joe");
    CHECK(parse({"facteur", "-N"}).no_deliver);
    cl = parse({"facteur", "-oem", "-B8BITMIME", "-v", "-t", "-oi", "-f", "a@b", "x@y"});
    CHECK(cl.extract_recipients);
    CHECK_FALSE(cl.dot_ends);
    CHECK(cl.sender_given);
    CHECK(cl.args == std::vector<std::string>{"x@y"});
  }

  TEST_CASE("the program name") {
    CHECK(parse({"/usr/sbin/mailq"}).mode == engine::Mode::ListQueue);
    CHECK(parse({"runq"}).queue.given);
    CHECK_FALSE(parse({"/usr/bin/rmail", "x@y"}).dot_ends);
    auto cl = parse({"/usr/sbin/sendmail", "-t"});
    CHECK(cl.mode == engine::Mode::None);
    CHECK(cl.extract_recipients);
  }
}

#include "engine/cli.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

engine::CommandLine parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto cl = engine::parse_command_line(static_cast<int>(argv.size()), argv.data());
  REQUIRE(cl.ok());
  return *cl;
}

}  // namespace

TEST_CASE("cli: -bh checks a host without callouts, -bhc with them") {
  auto bh = parse({"facteur", "-bh", "192.0.2.1"});
  CHECK(bh.mode == engine::Mode::HostCheck);
  CHECK(bh.host_ip == "192.0.2.1");
  CHECK_FALSE(bh.host_check_callouts);
  auto bhc = parse({"facteur", "-bhc", "192.0.2.1"});
  CHECK(bhc.mode == engine::Mode::HostCheck);
  CHECK(bhc.host_ip == "192.0.2.1");
  CHECK(bhc.host_check_callouts);
  std::vector<std::string> args{"facteur", "-bhc"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto missing = engine::parse_command_line(2, argv.data());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "option -bhc requires an argument");
}

TEST_CASE("cli: -be after -bem FILE keeps the message, as in Exim") {
  auto both = parse({"facteur", "-bem", "/tmp/m", "-be", "$h_subject:"});
  CHECK(both.mode == engine::Mode::ExpandMsg);
  CHECK(both.bem_file == "/tmp/m");
  CHECK(parse({"facteur", "-be", "x"}).mode == engine::Mode::Expand);
}

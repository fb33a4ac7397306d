#include "engine/config/drivers.h"

#include <doctest/doctest.h>

#include "engine/config/config.h"
#include "lang/expand.h"

using namespace engine::config;

namespace {

// A driver registered only in the tests, with one option of each interesting kind.
constexpr DriverOption kTestOptions[] = {
    {"test_flag", OptType::Bool, false, "false"},
    {"test_limit", OptType::Int, false, "10"},
    {"test_path", OptType::String, true, ""},
    {"test_raw", OptType::String, false, "raw default"},
    {"test_timeout", OptType::Time, false, "5m"},
};
const bool kRegistered = [] {
  register_driver({DriverKind::Router, "test_router", kTestOptions});
  return true;
}();

std::string error_of(std::string_view text) {
  auto r = read_string(text, "test.conf");
  return r ? "(no error)" : format_error(r.error());
}

Config must_read(std::string_view text) {
  auto r = read_string(text, "test.conf");
  if (!r) FAIL("unexpected error: ", format_error(r.error()));
  return std::move(*r);
}

}  // namespace

TEST_SUITE("config.drivers") {
  TEST_CASE("the registry finds registered drivers and their options") {
    REQUIRE(kRegistered);
    const DriverInfo* d = find_driver(DriverKind::Router, "test_router");
    REQUIRE(d != nullptr);
    CHECK(find_driver(DriverKind::Transport, "test_router") == nullptr);
    CHECK(find_driver_option(DriverKind::Router, d, "test_flag") != nullptr);
    CHECK(find_driver_option(DriverKind::Router, d, "domains") != nullptr);  // generic
    CHECK(find_driver_option(DriverKind::Router, nullptr, "test_flag") == nullptr);
    CHECK(find_driver_option(DriverKind::Authenticator, nullptr, "server_condition") != nullptr);
    CHECK(find_driver_option(DriverKind::Transport, nullptr, "return_path") != nullptr);
    CHECK(suggest_driver_option(DriverKind::Router, d, "test_flg") ==
          "; did you mean \"test_flag\"?");
    CHECK(suggest_driver_option(DriverKind::Router, d, "domian") == "; did you mean \"domains\"?");
  }

  TEST_CASE("generic option tables are sorted and complete for the common options") {
    for (DriverKind k : {DriverKind::Router, DriverKind::Transport, DriverKind::Authenticator}) {
      auto opts = generic_options(k);
      for (size_t i = 1; i < opts.size(); ++i) CHECK(opts[i - 1].name < opts[i].name);
      CHECK(find_driver_option(k, nullptr, "driver") != nullptr);
    }
    for (std::string_view n : {"domains", "local_parts", "senders", "condition", "transport",
                               "more", "unseen", "verify_only", "address_data", "errors_to"})
      CHECK_MESSAGE(find_driver_option(DriverKind::Router, nullptr, n) != nullptr, n);
  }

  TEST_CASE("instance options: set values, defaults and compiled expansions") {
    Config c = must_read(
        "begin routers\n"
        "r1:\n"
        "  driver = test_router\n"
        "  test_flag\n"
        "  test_path = /var/mail/$local_part\n"
        "  test_timeout = 1h30m\n"
        "  no_more\n");
    REQUIRE(c.routers.size() == 1);
    InstanceOptions o(DriverKind::Router, c.routers[0]);
    CHECK(o.get_bool("test_flag"));
    CHECK(o.get_int("test_limit") == 10);  // default
    CHECK(o.get_time("test_timeout") == 5400);
    CHECK(o.get_string("test_raw") == "raw default");
    CHECK(o.get_string("test_path") == "/var/mail/$local_part");
    CHECK(o.program("test_path") != nullptr);
    CHECK(o.program("test_raw") == nullptr);
    CHECK_FALSE(o.get_bool("more"));
    CHECK(o.get_bool("verify"));  // generic default "true"
    CHECK(o.is_set("test_flag"));
    CHECK_FALSE(o.is_set("test_limit"));
  }

  TEST_CASE("an expanded boolean may be an expansion") {
    Config c = must_read("begin routers\nr1:\n  driver = test_router\n  unseen = ${if eq{a}{a}}\n");
    InstanceOptions o(DriverKind::Router, c.routers[0]);
    CHECK(o.program("unseen") != nullptr);
  }

  TEST_CASE("errors: unknown options, bad values, private option before driver") {
    struct Case {
      const char* conf;
      const char* want;
    } cases[] = {
        {"begin routers\nr1:\n  driver = test_router\n  test_flg\n",
         "test.conf:4: option \"test_flg\" unknown in router \"r1\" (driver test_router); did you "
         "mean \"test_flag\"?"},
        {"begin routers\nr1:\n  test_flag\n  driver = test_router\n",
         "test.conf:3: option \"test_flag\" unknown in router \"r1\" (\"driver\" must come before "
         "the driver's own options)"},
        {"begin routers\nr1:\n  driver = test_router\n  test_limit = ten\n",
         "test.conf:4: integer expected for test_limit"},
        {"begin routers\nr1:\n  driver = test_router\n  test_timeout = soon\n",
         "test.conf:4: invalid time value for test_timeout"},
        {"begin routers\nr1:\n  driver = test_router\n  test_limit\n",
         "test.conf:4: unexpected end of line (data missing) after test_limit"},
        {"begin routers\nr1:\n  driver = test_routr\n",
         "test.conf:3: router r1: cannot find router driver \"test_routr\"; did you mean "
         "\"test_router\"?"},
    };
    for (const Case& c : cases) CHECK(error_of(c.conf) == c.want);
  }

  TEST_CASE("a standard driver not yet registered takes any option") {
    Config c =
        must_read("begin routers\nq:\n  driver = queryprogram\n  command = /bin/x $local_part\n");
    CHECK(c.routers[0].options.size() == 2);
  }
}

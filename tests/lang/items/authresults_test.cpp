#include <doctest/doctest.h>

#include "tests/lang/expand_helper.h"

using testlang::ex;

TEST_SUITE("lang.items.authresults") {
  TEST_CASE("without a session") {
    CHECK(ex("${authresults{mail.example.com}}") == "Authentication-Results: mail.example.com");
    CHECK(ex("${authresults {x} }") == "Authentication-Results: x");
    CHECK(ex("${authresults{a}{b}}") == "Failed: Too many arguments for 'authresults' (max is 1)");
  }
  TEST_CASE("with iprev and auth results") {
    testlang::Context c({}, {{"sender_host_name", "client.example"},
                             {"sender_host_address", "192.0.2.1"},
                             {"sender_host_authenticated", "plain"},
                             {"authenticated_id", "joe"}});
    CHECK(c.ex("${authresults{mx}}") ==
          "Authentication-Results: mx;\n\tiprev=pass (client.example) smtp.remote-ip=192.0.2.1;"
          "\n\tauth=pass (plain) smtp.auth=joe");
  }
}

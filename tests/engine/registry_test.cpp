// The full lists of registered driver names: a driver file that stops being linked in (its
// static registrar dropped) or a name registered by mistake shows up here.
#include <doctest/doctest.h>

#include <string_view>
#include <vector>

#include "authenticators/authenticator.h"
#include "engine/config/drivers.h"

using engine::config::DriverKind;

TEST_SUITE("engine.registry") {
  TEST_CASE("authenticator drivers") {
    std::vector<std::string_view> want{"cram_md5", "dovecot", "plaintext", "tls"};
    CHECK(authenticators::driver_names() == want);
    std::vector<std::string_view> catalog;
    for (const auto* d : engine::config::registered_drivers(DriverKind::Authenticator)) {
      catalog.push_back(d->name);
    }
    CHECK(catalog == want);
  }
}

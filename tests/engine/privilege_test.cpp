// T-LOCAL-1 and T-LOCAL-4 (shared/notes/security-tests.md): Exim's rules for a set-uid
// binary — -C, -D, -be and -bem by an unprivileged caller give up privilege before the
// configuration is read; -d needs an admin caller except with -be and -bV. The real drop is
// run end to end by tests/e2e/security_test.py (a set-uid copy run as nobody).
#include "engine/privilege.h"

#include <doctest/doctest.h>

namespace {

engine::Identity setuid_root_run_by(uid_t uid, gid_t gid) {
  engine::Identity id;
  id.uid = uid;
  id.gid = gid;
  id.euid = 0;
  id.egid = gid;
  return id;
}

engine::CommandLine cli(engine::Mode mode, std::string config = "", bool macro = false,
                        bool debug = false) {
  engine::CommandLine cl;
  cl.mode = mode;
  cl.config_path = std::move(config);
  if (macro) cl.macros.push_back({"X", "1"});
  cl.debug_on = debug;
  return cl;
}

}  // namespace

TEST_SUITE("engine.privilege") {
  TEST_CASE("T-LOCAL-1: -C, -D, -be, -bem by an unprivileged caller drop privilege first") {
    using engine::Mode;
    auto user = setuid_root_run_by(1000, 1000);
    CHECK(engine::must_drop_privilege(cli(Mode::AddrTest, "/tmp/x.conf"), user));
    CHECK(engine::must_drop_privilege(cli(Mode::AddrTest, "", true), user));
    CHECK(engine::must_drop_privilege(cli(Mode::Expand), user));
    CHECK(engine::must_drop_privilege(cli(Mode::ExpandMsg), user));
    CHECK_FALSE(engine::must_drop_privilege(cli(Mode::AddrTest), user));
    // root keeps its privilege; a binary that is not set-uid has nothing to drop
    CHECK_FALSE(
        engine::must_drop_privilege(cli(Mode::Expand, "/tmp/x.conf"), setuid_root_run_by(0, 0)));
    engine::Identity plain{1000, 1000, 1000, 1000, {}};
    CHECK_FALSE(engine::must_drop_privilege(cli(Mode::Expand, "/tmp/x.conf", true), plain));
    // set-gid only is privilege too
    engine::Identity setgid{1000, 1000, 1000, 8, {}};
    CHECK(engine::must_drop_privilege(cli(Mode::Expand), setgid));
  }

  TEST_CASE("T-LOCAL-4: -d by a non-admin caller of a privileged binary is refused") {
    using engine::Mode;
    auto user = setuid_root_run_by(1000, 1000);
    CHECK(engine::debug_refused(cli(Mode::AddrTest, "", false, true), false, user));
    CHECK(engine::debug_refused(cli(Mode::HostCheck, "", false, true), false, user));
    CHECK_FALSE(engine::debug_refused(cli(Mode::Expand, "", false, true), false, user));
    CHECK_FALSE(engine::debug_refused(cli(Mode::Version, "", false, true), false, user));
    CHECK_FALSE(engine::debug_refused(cli(Mode::AddrTest, "", false, true), true, user));
    CHECK_FALSE(engine::debug_refused(cli(Mode::AddrTest), false, user));
    engine::Identity plain{1000, 1000, 1000, 1000, {}};
    CHECK_FALSE(engine::debug_refused(cli(Mode::AddrTest, "", false, true), false, plain));
  }
}

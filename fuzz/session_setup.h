// fuzz/session_setup.h — what the SMTP session fuzz targets share: a configuration read from
// text and its ACLs, built once per process (a bad built-in configuration traps at once).
#pragma once

#include <memory>

#include "engine/acl.h"
#include "engine/config/config.h"

namespace fuzz {

struct SessionSetup {
  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::acl::AclSet> acls;
  explicit SessionSetup(const char* config_text) {
    auto c = engine::config::read_string(config_text, "fuzz.conf");
    if (!c) __builtin_trap();
    cfg = std::make_unique<engine::config::Config>(std::move(c.value()));
    auto a = engine::acl::load(*cfg);
    if (!a) __builtin_trap();
    acls = std::make_unique<engine::acl::AclSet>(std::move(a.value()));
  }
};

}  // namespace fuzz

// Test helper: a configuration read from text, its ACLs compiled and named lists built, and
// an Evaluator over an expansion context (quiet log sink). Fails the test on a bad config.
#pragma once

#include <doctest/doctest.h>

#include <memory>

#include "engine/acl.h"
#include "engine/config/config.h"
#include "engine/named_lists.h"

namespace acltest {

struct AclFixture {
  explicit AclFixture(const char* conf) {
    auto c = engine::config::read_string(conf, "t.conf");
    REQUIRE(c.ok());
    cfg = std::make_unique<engine::config::Config>(std::move(c.value()));
    auto a = engine::acl::load(*cfg);
    REQUIRE(a.ok());
    acls = std::make_unique<engine::acl::AclSet>(std::move(a.value()));
    lists = std::make_unique<engine::ConfigNamedLists>(*cfg);
    ctx.lists = lists.get();
    eval = std::make_unique<engine::acl::Evaluator>(*acls, ctx);
    eval->set_log_sink([](std::string_view) {});
    ctx.acl = eval.get();
  }
  std::unique_ptr<engine::config::Config> cfg;
  std::unique_ptr<engine::acl::AclSet> acls;
  std::unique_ptr<engine::ConfigNamedLists> lists;
  lang::EvalContext ctx;
  std::unique_ptr<engine::acl::Evaluator> eval;
};

}  // namespace acltest

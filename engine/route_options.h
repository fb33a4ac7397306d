// engine/route_options.h — the generic router options of one configured router, typed and
// ready to use (spec chapter 15, "Generic options for routers").
//
// read_router_options() reads an instance's settings once, when the chain is built: booleans
// resolved (with the "verify" and "fail_verify" shorthands applied in file order, and the
// defaults that depend on other options: retry_use_local_part, log_as_local), expanded
// options as their compiled Programs (owned by the Config, which outlives the chain), and the
// options whose items are expanded one by one (headers_add, headers_remove, require_files,
// set) split and compiled per item, as Exim splits them before expanding.
//
// Failure: an error text for a value that cannot be used (a bad `self` setting, an item that
// does not compile, a `set` item without "r_name ="), which the chain reports as a
// configuration error naming the router.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/config/drivers.h"
#include "lang/expand.h"
#include "util/result.h"

namespace engine {

// A boolean that may be an expansion (more, unseen): `program` is set when it is one.
struct ExpandedBool {
  bool value = false;
  const lang::Program* program = nullptr;
};

// The `self` option (spec 15, "self"): what to do when the first host is this host.
struct SelfAction {
  enum Kind : unsigned char { Freeze, Defer, Fail, Send, Pass, Reroute } kind = Freeze;
  bool rewrite = false;  // "reroute: rewrite: domain"
  std::string domain;    // for Reroute
};

// One item of a list whose items are expanded separately.
struct ItemProgram {
  std::string text;
  std::shared_ptr<lang::Program> program;
};

// One `set` item: "r_name = value".
struct SetItem {
  std::string name;
  std::shared_ptr<lang::Program> value;
};

struct RouterOptions {
  std::string name, driver;

  // Preconditions, in the order they are tested (spec 3.12).
  std::string local_part_prefix, local_part_suffix;  // string lists, not expanded
  bool prefix_optional = false, suffix_optional = false;
  bool verify_sender = true, verify_recipient = true, verify_only = false;
  bool address_test = true, expn = true;
  const lang::Program* domains = nullptr;
  const lang::Program* local_parts = nullptr;
  bool check_local_user = false;
  const lang::Program* router_home_directory = nullptr;
  const lang::Program* senders = nullptr;
  const lang::Program* debug_print = nullptr;
  std::vector<ItemProgram> require_files;
  const lang::Program* condition = nullptr;

  // After the preconditions.
  std::vector<SetItem> set;
  const lang::Program* address_data = nullptr;
  bool caseful_local_part = false;
  bool fail_verify_sender = false, fail_verify_recipient = false;
  ExpandedBool more{true, nullptr};
  ExpandedBool unseen{false, nullptr};
  std::string pass_router, redirect_router;
  const lang::Program* cannot_route_message = nullptr;

  // What an accepting router gives the address.
  bool errors_to_set = false;
  const lang::Program* errors_to = nullptr;  // null with errors_to_set: a literal ""
  std::string errors_to_text;
  std::vector<ItemProgram> headers_add;     // newline-separated list
  std::vector<ItemProgram> headers_remove;  // colon-separated list
  const lang::Program* transport = nullptr;
  std::string transport_text;  // as written ("" when unset)
  const lang::Program* user = nullptr;
  const lang::Program* group = nullptr;
  bool initgroups = false;
  const lang::Program* transport_home_directory = nullptr;
  const lang::Program* transport_current_directory = nullptr;
  std::string fallback_hosts;
  const lang::Program* ignore_target_hosts = nullptr;
  const lang::Program* translate_ip_address = nullptr;
  bool pass_on_timeout = false;
  SelfAction self;
  bool retry_use_local_part = false;
  bool log_as_local = false;
  bool disable_logging = false;
  bool repeat_use = true;  // redirect's repeat_use (spec 22.10); true for other drivers
};

util::Result<RouterOptions> read_router_options(const config::InstanceOptions& opts);

// The value of verify_sender, verify_recipient, fail_verify_sender or fail_verify_recipient
// after the "verify" and "fail_verify" shorthands (for -bP).
bool router_verify_flag(const config::InstanceOptions& opts, std::string_view name);

// Parses the `self` option ("freeze", "defer", "fail", "send", "pass", "reroute: [rewrite:]
// domain"); "" on success, else Exim's message.
std::string parse_self_option(std::string_view text, SelfAction& out);

// True for the transport drivers that deliver locally (appendfile, pipe, lmtp, autoreply):
// routed addresses go to the local or the remote delivery list accordingly.
bool transport_driver_is_local(std::string_view driver);

}  // namespace engine

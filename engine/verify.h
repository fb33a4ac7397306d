// engine/verify.h — address verification and address testing: the router chain run for
// `-bt`, `-bv`, `verify = recipient/sender` in ACLs, VRFY and EXPN (spec 5 "-bt, -bv",
// 44.45 "Address verification", 48.7 "VRFY and EXPN"; Exim's verify.c).
//
// verify_address() routes an address and what it generates. In the short form (ACLs, VRFY,
// -bv) it stops at the first answer: a failure or deferral of the address, or success once
// routing ends or produces more than one address (a single generated address is followed:
// an alias to one mailbox is checked through to that mailbox). In the full form (-bt) every
// generated address is routed and the whole result is printed as Exim prints it: each routed
// address with its ancestry, router, transport and hosts, local deliveries first, then
// remote ones; files and pipes as "parent -> /path"; "mail to X is discarded".
//
// run_address_test() is the -bt / -bv mode (addresses from the arguments, comma-separated,
// or one per line from stdin with a "> " prompt; exit status 0, 1 for a deferral, 2 for a
// failure). AddressVerifier is the glue an SMTP session's services use; with
// `verify = .../callout` it follows a successful routing to remote hosts with a callout
// (engine/callout.h, cached in the "callout" hints database), unless callouts are off (-bh).
//
// Nothing here throws; configuration problems found while routing are deferrals with a
// message, as in Exim.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/callout_cache.h"
#include "engine/route.h"
#include "engine/smtp/services.h"

namespace engine {

struct VerifySettings {
  RouteMode mode = RouteMode::VerifyRecipient;  // VerifyRecipient, VerifySender, Expn, Test
  bool full = false;    // -bt: route everything generated and print the whole result
  bool qualify = true;  // an address without a domain gets qualify_recipient/_domain
  bool success_on_redirect = false;
  std::FILE* out = nullptr;                     // the report (-bt, -bv); null: none
  std::set<std::string>* duplicates = nullptr;  // -bt: addresses already reported
};

struct VerifyOutcome {
  routers::RouterResult status = routers::RouterResult::Accept;  // Accept, Fail or Defer
  std::string address;                                           // as verified (qualified)
  std::string message, user_message;
  bool pass_message = false;
  std::string address_data;
  bool address_data_set = false;
  std::vector<std::string> expn;  // EXPN reply lines (see smtp::VerifyResult::addresses)
  AddressPtr routed;              // short form: the address that ended routing, when it was routed
};

VerifyOutcome verify_address(std::string address, RouteEnv& env, const VerifySettings& vs);

// -bt (test = true) or -bv for `args` (or stdin lines when empty); returns the exit status.
struct AddressTestOptions {
  bool test = true;        // -bt; false: -bv
  bool as_sender = false;  // -bvs
  std::string sender;      // -f, or the caller's address
};
int run_address_test(const RouterChain& chain, lang::EvalContext& ctx,
                     const AddressTestOptions& opts, const std::vector<std::string>& args,
                     std::FILE* in, std::FILE* out);

// Verification for an SMTP session: builds the chain on first use (a chain that cannot be
// built makes every verification defer with the reason).
class AddressVerifier {
 public:
  explicit AddressVerifier(const config::Config& cfg) : cfg_(cfg) {}
  smtp::VerifyResult verify(const smtp::VerifyRequest& req, lang::EvalContext& ctx);
  // Whether `verify = .../callout` makes callouts (not under -bh; engine/callout.h).
  void set_callouts(bool on) { callouts_ = on; }

 private:
  smtp::VerifyResult callout(const smtp::VerifyRequest& req, lang::EvalContext& ctx,
                             const AddressPtr& routed, smtp::VerifyResult r);
  CalloutCache& callout_cache(lang::EvalContext& ctx);

  const config::Config& cfg_;
  bool callouts_ = true;
  std::unique_ptr<CalloutCache> cache_;
  std::optional<util::Result<RouterChain>> chain_;
};

}  // namespace engine

// engine/route.h — the router chain: addresses through the configured routers in order
// (spec 3.10-3.12 "How Exim receives and delivers mail", chapter 15 "Generic options for
// routers"; Exim's route.c).
//
// RouterChain::build() turns the configuration's router instances into drivers (through the
// registry of routers/router.h) with their generic options (engine/route_options.h), and
// checks what Exim checks at start-up: a transport where the driver needs one, none on a
// redirect router, pass_router and redirect_router naming routers, literal transport names
// that exist.
//
// route_address() offers one address to the routers, from its start_router on, applying the
// generic preconditions in Exim's order (affixes; verify/address_test/expn flags; domains;
// local_parts; check_local_user; router_home_directory; senders; debug_print;
// require_files; condition), then `set` and address_data, then the driver. It handles the
// results: decline and `more`, pass and pass_router, fail_verify, the "Unrouteable address"
// of running out of routers (cannot_route_message), and `unseen` (the address becomes the
// parent of the routed copy and of a clone that goes on to the next router). Routed addresses
// are put at the head of RouteLists::local or ::remote (by the transport's kind), generated
// ones at the head of RouteLists::pending, redirected parents on ::succeeded: the order in
// which Exim lists them.
//
// RouteCall is what a driver gets: the address, the expansion context with the address
// variables set, and the shared steps of Exim's rf_*.c (errors_to, header changes,
// transports, queuing, uid/gid, self handling).
//
// Failures are results: Defer with a message for configuration or lookup problems at routing
// time (as Exim defers), Fail for undeliverable addresses. Routing never throws.
#pragma once

#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/address.h"
#include "engine/config/config.h"
#include "engine/host_lookup.h"
#include "engine/route_options.h"
#include "engine/route_vars.h"
#include "lang/context.h"
#include "routers/router.h"
#include "util/result.h"

namespace engine {

// Why the routers run (Exim's v_none / v_sender / v_recipient / v_expn, and -bt).
enum class RouteMode : unsigned char { Deliver, Test, VerifyRecipient, VerifySender, Expn };

struct RouterEntry {
  RouterOptions opts;
  std::unique_ptr<routers::Router> driver;
  int pass_router = -1;      // index, or -1 for "the next one"
  int redirect_router = -1;  // where generated addresses start, -1 for the first router
};

// A transport as routing needs to know it.
struct TransportInfo {
  std::string name, driver;
  bool local = false;
  bool overrides_hosts = false;  // smtp with hosts_override: -bt shows no hosts
  // smtp: what a callout (engine/callout.h) takes from the transport.
  std::string port, helo_data, interface, hosts;
};

class RouterChain {
 public:
  static util::Result<RouterChain> build(const config::Config& cfg);
  RouterChain(RouterChain&&) = default;
  RouterChain& operator=(RouterChain&&) = default;

  size_t size() const { return routers_.size(); }
  const RouterEntry& at(size_t i) const { return routers_[i]; }
  int find(std::string_view name) const;  // -1 when there is none
  const TransportInfo* transport(std::string_view name) const;
  const config::Config& config() const { return *cfg_; }
  const LocalHosts& local_hosts() const { return *local_hosts_; }

 private:
  RouterChain() = default;
  const config::Config* cfg_ = nullptr;
  std::shared_ptr<const LocalHosts> local_hosts_;
  std::vector<RouterEntry> routers_;
  std::vector<TransportInfo> transports_;
};

// Addresses in flight and routed, each list with its newest entry first (as Exim keeps them).
struct RouteLists {
  std::deque<AddressPtr> pending;    // generated, still to route (Exim's addr_new)
  std::deque<AddressPtr> local;      // routed to a local transport
  std::deque<AddressPtr> remote;     // routed to a remote transport (or to none)
  std::deque<AddressPtr> succeeded;  // redirected: done once their children are
  // Domains a router replaced with rewrite_headers (dnslookup widening or qualification,
  // self = reroute: rewrite:): the delivery rewrites them, old to new, in the message's
  // Bcc:, Cc:, From:, Reply-To:, Sender: and To: lines (spec 17, rewrite_headers).
  std::vector<std::pair<std::string, std::string>> header_domain_rewrites;
};

// Everything a routing run shares.
struct RouteEnv {
  const RouterChain* chain = nullptr;
  lang::EvalContext* ctx = nullptr;  // its `vars` are the caller's variables
  RouteMode mode = RouteMode::Deliver;
  std::string sender;                // the envelope sender ("" while verifying a sender)
  HostResolver* resolver = nullptr;  // null: host_resolver()
  std::FILE* debug = nullptr;        // where debug_print goes (-bt: stderr), null: nowhere
  int depth = 0;                     // nesting of errors_to verifications
};

// Routes `addr`; returns Accept (routed, redirected or rerouted: see `lists`), Fail, Defer or
// Discard, with the address's message set for Fail and Defer.
routers::RouterResult route_address(const AddressPtr& addr, RouteEnv& env, RouteLists& lists);

// The password entry check_local_user found.
struct LocalUser {
  std::string name, dir, shell;
  uid_t uid = 0;
  gid_t gid = 0;
};
std::optional<LocalUser> find_local_user(std::string_view name);

class RouteCall {
 public:
  RouteCall(RouteEnv& env, const RouterEntry& r, const AddressPtr& addr, RouteLists& lists,
            RouteVariables& vars, const std::optional<LocalUser>& pw)
      : env_(env), r_(r), addr_(addr), lists_(lists), vars_(vars), pw_(pw) {}

  Address& address() { return *addr_; }
  const AddressPtr& address_ptr() const { return addr_; }
  RouteMode mode() const { return env_.mode; }
  // Exim's "verify != v_none": verifying a sender or a recipient, or EXPN.
  bool verifying() const { return env_.mode != RouteMode::Deliver && env_.mode != RouteMode::Test; }
  const RouterOptions& options() const { return r_.opts; }
  const std::string& router_name() const { return r_.opts.name; }
  const RouterChain& chain() const { return *env_.chain; }
  const config::Config& config() const { return env_.chain->config(); }
  lang::EvalContext& ctx() { return *env_.ctx; }
  RouteVariables& vars() { return vars_; }
  HostResolver& resolver() { return env_.resolver ? *env_.resolver : host_resolver(); }
  const std::optional<LocalUser>& local_user() const { return pw_; }
  RouteEnv& env() { return env_; }

  // Expands `p` with the address variables set.
  lang::Status expand(const lang::Program& p, std::string& out);
  // Expands an option that is data for the router (route_data, qualify_domain ...): forced
  // failure or an empty result give Decline, an error Defer with a message; Accept otherwise.
  routers::RouterResult expand_data(const lang::Program& p, std::string_view option,
                                    std::string& out);

  // errors_to and the header changes of this router, into `props` (spec 15: errors_to,
  // headers_add, headers_remove); Accept or Defer.
  routers::RouterResult errors_and_headers(AddressProps& props);
  // Sets a.transport from the router's `transport` option (may be unset when verifying);
  // false with a.message set when it names no transport.
  bool set_transport(Address& a);
  // Sets a.transport to `name` (a per-rule or pipe/file transport); false when unknown.
  bool set_transport_named(Address& a, std::string_view name, std::string_view option);
  // Queues a routed address for its transport (Exim's rf_queue_add): uid, gid and home for
  // local transports, fallback hosts for remote ones. False (Defer) when user/group fail.
  bool queue(const AddressPtr& a);
  // The usual end of a router that accepts the address for its `transport`: errors_to and
  // header changes, the transport, queuing (accept, ipliteral).
  routers::RouterResult accept_address();
  // The uid/gid/home/current directory this router gives its deliveries; false with
  // a message in the address when user or group cannot be resolved.
  bool delivery_ids(Address& a, DeliveryIds& out);
  // Where addresses this router generates start (redirect_router, else the first router).
  int generated_start() const { return r_.redirect_router < 0 ? 0 : r_.redirect_router; }
  // Adds a generated address in front of the pending list.
  void add_new(AddressPtr a) { lists_.pending.push_front(std::move(a)); }
  void add_succeeded(AddressPtr a) { lists_.succeeded.push_front(std::move(a)); }
  // The `self` option when the first host is this host (Exim's rf_self_action).
  routers::RouterResult self_action(const Host& h);
  // Exim's rf_change_domain: a child of the address, its local part as written at `domain`,
  // is routed from the first router; with `rewrite`, the header lines follow (see
  // RouteLists::header_domain_rewrites). Returns Rerouted.
  routers::RouterResult change_domain(const std::string& domain, bool rewrite);

 private:
  RouteEnv& env_;
  const RouterEntry& r_;
  const AddressPtr& addr_;
  RouteLists& lists_;
  RouteVariables& vars_;
  const std::optional<LocalUser>& pw_;

  bool resolve_id(const lang::Program& p, bool group, Address& a, unsigned& id,
                  std::optional<gid_t>& user_gid);
};

}  // namespace engine

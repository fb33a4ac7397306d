// engine/deliver_internal.h — the state of one delivery attempt, shared by the files that do
// its steps (internal to engine/deliver*.cpp; see deliver.h for the contract):
//   deliver_message.cpp    open (lock, read, journal), the sequence, finish (remove/rewrite)
//   deliver_route.cpp      the recipients through the router chain
//   deliver_transport.cpp  batches of routed addresses to the transports
//   deliver_outcome.cpp    recording an address's outcome (log, journal, retry, bounce list)
//   deliver_retry.cpp      retry hints: due or not, updates after a failure
//   deliver_report.cpp     bounces and delay warnings submitted as new messages
//   deliver_log.cpp        the log lines' text
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/bounce.h"
#include "engine/deliver.h"
#include "engine/named_lists.h"
#include "engine/spool_update.h"
#include "engine/spool_vars.h"
#include "engine/variables.h"

namespace engine::deliver_detail {

// A failed address waiting for its bounce.
struct FailedAddress {
  AddressPtr addr;
  ReportedAddress report;
  std::string errors_to;  // where the bounce goes ("" with ignore: nowhere)
  bool ignore = false;    // errors_to = "" or the filter's noerror
};

struct DeferredAddress {
  AddressPtr addr;
  std::string message;
};

// One address's outcome as a transport or the routers gave it.
struct AddressOutcome {
  enum class Kind : unsigned char { Delivered, Deferred, Failed } kind = Kind::Deferred;
  std::string message;       // for the log
  std::string bounce_text;   // for the bounce ("" = message)
  std::string host;          // "name [ip]" that answered ("" = none)
  std::string remote_reply;  // the server's reply, for Diagnostic-Code
  int errno_value = 0;       // the "defer (N)" number
  bool freeze = false;
  std::string output;  // pipe output to return in a bounce

  static AddressOutcome deferral(std::string message, int errno_value = -1) {
    AddressOutcome o;
    o.message = std::move(message);
    o.errno_value = errno_value;
    return o;
  }
  static AddressOutcome failure(std::string message) {
    AddressOutcome o;
    o.kind = Kind::Failed;
    o.message = std::move(message);
    return o;
  }
};

class MessageDelivery {
 public:
  MessageDelivery(const DeliveryEnv& env, const DeliverRequest& req, std::string id);
  DeliverStatus run();

  // deliver_route.cpp
  void route_recipients();
  // deliver_transport.cpp
  void run_transports();
  // deliver_outcome.cpp
  void delivered(const AddressPtr& a, const std::string& log_line);
  void deferred(const AddressPtr& a, const AddressOutcome& o, const std::string& log_line);
  void failed(const AddressPtr& a, const AddressOutcome& o, const std::string& log_line);
  void journal_flush();
  // deliver_report.cpp
  bool send_bounces();
  void maybe_warn();
  void note_success(const AddressPtr& a);  // for NOTIFY=SUCCESS
  void send_success_notices();
  // deliver_retry.cpp
  bool routing_due(const Address& a);
  bool local_due(const Address& a);
  // Removes the hosts whose retry time has not come; false when none is left.
  bool filter_hosts(Address& a, bool& all_expired);
  // After a transport run: host records from `d.hosts`, address records from the results.
  void update_host_retry(const transports::Delivery& d, const std::string& domain);
  bool retry_address_failure(const std::string& key, const Address& a, RetryErrorKind kind,
                             int code, const std::string& text, bool use_received);
  void retry_success(const std::string& key);

  // Accessors for the step files.
  const DeliveryEnv& env() const { return env_; }
  const DeliverRequest& request() const { return req_; }
  const SpoolMessage& message() const { return msg_; }
  const std::string& id() const { return id_; }
  int64_t now() const { return now_; }
  lang::EvalContext& ctx() { return ctx_; }
  const lang::VariableSource* vars() const { return &vars_; }
  RouteLists& lists() { return lists_; }
  const transports::MessageSource& source() const { return *src_; }
  void log(const std::string& line);  // main log and the message log
  void freeze(const std::string& why);

 private:
  DeliverStatus open();
  DeliverStatus finish();
  void add_top_done();
  void route_one(const AddressPtr& a);
  void routing_deferred(const AddressPtr& a, const std::string& router);
  // The retry_defer log selector: "retry time not reached" lines are logged.
  bool retry_defer_logged() const {
    return env_.log && env_.log->config().selector.on(LogItem::RetryDefer);
  }
  bool already_done(const Address& a) const;
  void run_list(std::vector<AddressPtr>& list, bool is_local);
  bool held_back(std::vector<AddressPtr>& batch, bool is_local);
  void run_batch(const transports::Transport& t, std::vector<AddressPtr>& batch);
  void record_results(const transports::Transport& t, std::vector<AddressPtr>& batch,
                      transports::Delivery& d);
  std::string address_retry_key(const Address& a, bool local) const;
  bool deferral_expired(const transports::AddressResult& r, const Address& a, bool local);
  bool submit_report(LocalMessage m);

  const DeliveryEnv& env_;
  DeliverRequest req_;
  std::string id_;
  int64_t now_;
  std::optional<SpoolLock> lock_;
  std::optional<transports::MessageSource> src_;
  SpoolMessage msg_;  // the envelope as it will be written back
  Variables base_vars_;
  std::optional<SpoolVariables> spool_vars_;
  struct Layer : lang::VariableSource {
    const lang::VariableSource* inner = nullptr;
    bool get(std::string_view n, std::string& o) const override { return inner->get(n, o); }
    bool header(std::string_view k, std::string_view n, std::string& o) const override {
      return inner->header(k, n, o);
    }
  } vars_;
  ConfigNamedLists lists_src_;
  lang::EvalContext ctx_;
  RouteLists lists_;
  SpoolJournal journal_;
  std::vector<std::string> journal_pending_;  // delivered since the last journal write
  std::vector<std::string> done_;             // uniques delivered or failed in this attempt
  std::set<std::string> deferred_tops_;       // top-level recipients with something left
  std::vector<FailedAddress> failures_;
  std::vector<DeferredAddress> deferrals_;
  std::vector<ReportedAddress> successes_;  // delivered with NOTIFY=SUCCESS
  std::string msglog_;  // lines for msglog/ID (written only if the message stays)
  bool frozen_ = false;
  std::string frozen_reason_;
  bool hosts_expired_ = false;  // the last remote run: every failing host past its cutoff
};

// ----- deliver_log.cpp -----

// The address as a delivery line shows it: the pipe or file, the local part for routers with
// log_as_local, else the address; then "(intermediate)" and "<original>" (spec 53.7).
std::string log_address(const Address& a, bool local_part_only);
// "H=name [ip]" from a transport's host text "name [ip]:port" (the port only with
// `with_port`).
std::string log_host(std::string_view host, bool with_port);
// The top-level ancestor's address.
const std::string& top_address(const Address& a);

}  // namespace engine::deliver_detail

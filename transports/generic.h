// transports/generic.h — the generic transport options (spec chapter 24), read once per
// configured instance, and the steps every transport takes before it writes anything:
// debug_print, message_size_limit, the home and current directories (spec 23.3), the uid and
// gid of the delivery (spec 23.2), the return path, and the header edits (headers_add,
// headers_remove, Return-path:, Envelope-to:, Delivery-date:).
//
// Failure: GenericOptions::read() rejects an instance whose headers_add/headers_remove items do
// not compile; prepare() returns false with an AddressResult saying why (an expansion error
// defers, an oversized message fails), to be given to every address of the delivery.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/config/drivers.h"
#include "engine/rewrite.h"
#include "lang/expand.h"
#include "transports/delivery_vars.h"
#include "transports/message_writer.h"
#include "transports/transport.h"

namespace transports {

using ProgramPtr = std::shared_ptr<const lang::Program>;

struct GenericOptions {
  bool body_only = false, headers_only = false;
  bool delivery_date_add = false, envelope_to_add = false, return_path_add = false;
  bool initgroups = false, rcpt_include_affixes = false, disable_logging = false;
  ProgramPtr current_directory, home_directory, debug_print, group, user, return_path;
  ProgramPtr message_size_limit, shadow_condition;
  std::vector<ProgramPtr> headers_add, headers_remove;  // one per list item
  std::string shadow_transport, transport_filter;
  std::vector<engine::RewriteRule> headers_rewrite;
  int retry_use_local_part = -1;  // -1: the driver's default

  static util::Result<GenericOptions> read(const engine::config::Config& cfg,
                                           const engine::config::Instance& inst);
};

// The expanded option (null when unset) of an instance: its compiled program.
ProgramPtr option_program(const engine::config::Instance& inst, std::string_view name);

struct DeliveryIdentity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups (initgroups), else empty
  bool change = false;        // running as root: switch to uid/gid for the delivery
};

// What prepare() works out for one run of a transport.
struct Prepared {
  std::string home, cwd;
  std::string return_path;  // after the transport's return_path option
  DeliveryIdentity id;
  HeaderEdits edits;
};

struct PrepareOptions {
  bool as_creator = false;  // pipe_as_creator: the message's uid/gid are the defaults
  bool need_identity = true;
};

// Runs the generic steps (and sets d.return_path). On failure fills `fail` and returns false.
bool prepare(const GenericOptions& g, Expander& ex, Delivery& d, const TransportServices& s,
             const PrepareOptions& po, Prepared& out, AddressResult& fail);

// Sets every result of `d` to `r` (the same outcome for the whole batch).
void set_all_results(Delivery& d, const AddressResult& r);
AddressResult ok_result();
AddressResult defer_result(std::string message, int err = 0);
AddressResult fail_result(std::string message);

// The factory of a driver class `D` constructed from (name, options) with the options that
// `read` gives: what each driver file registers.
template <class D, auto read>
util::Result<std::unique_ptr<Transport>> make_transport(const engine::config::Config& cfg,
                                                        const engine::config::Instance& inst) {
  auto o = read(cfg, inst);
  if (!o) return o.error();
  return std::unique_ptr<Transport>(new D(inst.name, std::move(*o)));
}

// "K"/"M"/"G" sizes as quota and message_size_limit take them ("10M", "1.5G"); false when
// the text is not a size.
bool parse_size(std::string_view text, int64_t& out);

}  // namespace transports

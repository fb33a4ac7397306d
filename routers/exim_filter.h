// routers/exim_filter.h — Exim filter files: the "# Exim filter" language of users' .forward
// files and of redirect data with allow_filter (Exim's "Exim's interfaces to mail filtering",
// chapter 3; spec 22.3).
//
// parse_exim_filter() reads the whole text into commands once (a syntax error is reported
// with its line, as Exim reports it, and nothing runs); run_exim_filter() obeys them against
// an EvalContext whose variables are the address's and the message's ($h_ headers come from
// the context's variable source). Supported: if/then/elif/else/endif with and, or, not and
// parentheses; the conditions is, contains, matches, begins, ends (caseless in lower case,
// caseful in upper case) and their "does not"/"is not" forms, is above/below, delivered,
// error_message, personal, first_delivery, manually_thawed, foranyaddress; the commands
// deliver (with errors_to), save (with a mode), pipe, seen/unseen/noerror prefixes, finish,
// testprint, add, headers charset, logfile/logwrite (recorded, written only for real
// deliveries by the caller), mail/vacation (an autoreply "address"), fail, freeze, defer
// (when allowed).
//
// The outcome is Exim's: Delivered when a significant delivery was set up, NotDelivered
// otherwise (the address then goes on to the next routers as if there were no filter),
// Defer/Fail/Freeze for those commands, Error for a syntax or expansion error (message set).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/address.h"
#include "lang/context.h"

namespace engine {
class RouteVariables;
}

namespace routers {

struct FilterOptions {
  bool allow_fail = false, allow_defer = false, allow_freeze = false;
  bool forbid_file = false, forbid_pipe = false, forbid_reply = false;
  bool forbid_logwrite = false;
  bool prepend_home = true;
  bool error_message = false;  // the message is a bounce
  bool first_delivery = true;
  std::string home;            // $home, prepended to relative save paths
  std::string qualify_domain;  // for unqualified deliver addresses
  std::string user_address;    // $local_part@$domain for "personal"
};

struct FilterAction {
  std::string text;  // address, path, command, or reply description
  engine::AddressKind kind = engine::AddressKind::Mail;
  bool significant = true;
  bool noerror = false;
  std::optional<std::string> errors_to;
  std::string mode;  // save: an octal mode, "" for the default
};

struct FilterResult {
  enum class Result : unsigned char { Delivered, NotDelivered, Defer, Fail, Freeze, Error };
  Result result = Result::NotDelivered;
  std::vector<FilterAction> actions;  // in the order obeyed
  std::string message;                // fail/defer/freeze text, or the error
  std::vector<std::string> testprint;
  std::vector<std::string> log_lines;  // logwrite, with their logfile: "file\ttext"
};

// "# Exim filter" (white space optional, any case) as the first text; Sieve likewise.
enum class FilterType : unsigned char { None, Exim, Sieve };
FilterType filter_type(std::string_view data);

struct FilterProgram;  // the parsed commands
struct ParsedFilter {
  std::shared_ptr<const FilterProgram> program;
  std::string error;  // "" when parsed
};
ParsedFilter parse_exim_filter(std::string_view text);

// Runs a parsed filter; `vars` receives $n0..$n9 and $thisaddress while it runs.
FilterResult run_exim_filter(const FilterProgram& program, lang::EvalContext& ctx,
                             engine::RouteVariables& vars, const FilterOptions& opts);

}  // namespace routers

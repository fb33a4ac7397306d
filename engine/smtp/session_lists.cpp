// engine/smtp/session_lists.cpp — the session's questions about its client and addresses
// that are answered by list options (*_hosts host lists, percent_hack_domains), and the
// header variables of the message being received.
#include <cctype>

#include "engine/config/main_options.h"
#include "engine/hostlist_trace.h"
#include "engine/smtp/session.h"
#include "engine/smtp/session_vars.h"
#include "engine/smtp/spool_message.h"
#include "lang/match/domainlist.h"
#include "lang/match/hostlist.h"
#include "util/strings.h"

namespace engine::smtp {

// True when the client matches the host list option `option_name` (expanded). A list that
// cannot be evaluated does not match (and is logged). Traced as Exim shows option lists.
bool Session::host_in(std::string_view option_name) {
  std::string list = option(option_name);
  lang::HostInfo host{settings_.client_address, "", {}, client_name_.get()};
  if (list.empty()) {
    trace_empty_option(ctx_, lang::ListKind::Host, host.address.empty() ? "" : "host", option_name,
                       cfg_.find_main(option_name) != nullptr);
    return false;
  }
  lang::HostMatch m;
  lang::Status st = lang::match_hostlist(ctx_, list, host, lang::HostListMode::Acl, m);
  if (!st.is_ok()) {
    services_.log("error in " + std::string(option_name) + ": " + m.detail);
    return false;
  }
  if (ctx_.list_tracer) trace_hostlist(ctx_, list, host, option_name);
  return m.matched;
}

// True when `domain` is in the domain list option `option_name` (expanded); a list that
// cannot be evaluated does not match (and is logged). An unset option is not even traced.
bool Session::domain_in(std::string_view option_name, std::string_view domain) {
  const config::MainOption* def = config::find_main_option(option_name);
  if (!cfg_.find_main(option_name) && (!def || def->dflt.empty())) return false;
  std::string list = option(option_name);
  lang::ListMatchResult r = lang::match_domainlist(ctx_, list, domain, true, option_name);
  if (r.outcome == lang::ListMatch::Defer) {
    services_.log("error in " + std::string(option_name) + ": " + r.error);
  }
  return r.outcome == lang::ListMatch::Match;
}

bool SessionVariables::header(std::string_view kind, std::string_view name,
                              std::string& out) const {
  const Transaction& t = s_.transaction();
  std::string_view headers(t.data.data(), std::min(t.header_end, t.data.size()));
  std::string value;
  bool found = false;
  for (const auto& h : t.added_headers) {
    if (find_header(std::string(added_header_text(h)) + "\n", name, value)) {
      found = true;
      break;
    }
  }
  if (!found && !find_header(headers, name, value)) return false;
  if (kind == "h" || kind == "header" || kind == "bh") {
    size_t b = 0;
    while (b < value.size() && std::isspace(static_cast<unsigned char>(value[b]))) ++b;
    value.erase(0, b);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
      value.pop_back();
  }
  out = std::move(value);
  return true;
}

bool SessionVariables::get(std::string_view name, std::string& out) const {
  const Transaction& t = s_.transaction();
  if (t.data.empty() || name.substr(0, 8) != "message_") return Variables::get(name, out);
  std::string_view body = transaction_body(t);
  auto visible = [&](std::string_view part) {
    std::string v(part);
    for (char& c : v)
      if (c == '\n') c = ' ';
    return v;
  };
  size_t n =
      static_cast<size_t>(std::max<int64_t>(0, config::main_int(cfg_, "message_body_visible")));
  if (name == "message_body") {
    out = visible(body.substr(0, n));
    return true;
  }
  if (name == "message_body_end") {
    out = visible(body.size() > n ? body.substr(body.size() - n) : body);
    return true;
  }
  if (name == "message_body_size") {
    out = std::to_string(body.size());
    return true;
  }
  if (name == "message_headers" || name == "message_headers_raw") {
    out = t.received + t.data.substr(0, std::min(t.header_end, t.data.size()));
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return true;
  }
  return Variables::get(name, out);
}

}  // namespace engine::smtp

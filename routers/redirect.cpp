// routers/redirect.cpp — the redirect router (spec chapter 22): the address is replaced by
// what its redirection data says — the expansion of `data`, or the contents of `file` — read
// as an Exim filter (allow_filter, routers/exim_filter.h) or as a list of addresses, files,
// pipes and special items (routers/redirect_list.h).
//
// Generated addresses become children of the address, each carrying what this router
// propagates (address_data, errors_to, header changes, $r_ variables); files, pipes and
// replies get their transport (file_transport, pipe_transport, directory_transport,
// reply_transport) and the router's uid/gid/home, and are not routed again. A filter that
// sets up no significant delivery lets the address go on to the next routers (as a child
// copy when it generated something). :blackhole: discards; :fail:/:defer: fail or defer with
// their text (allow_fail/allow_defer), after the items before them were generated.
//
// A `file` is read as routers/redirect_file.h says: as the router's user when running as
// root, checked for mode, owner and group.
//
// one_time marks each generated address with its top-level ancestor (onetime_parent), for
// the delivery process to make it a top-level address if it is not delivered at once.
//
// Not implemented: Sieve filters (an error when met).
#include <regex>

#include "engine/route.h"
#include "engine/variables.h"
#include "lang/lists.h"
#include "routers/exim_filter.h"
#include "routers/redirect_file.h"
#include "routers/redirect_list.h"
#include "util/strings.h"

namespace routers {
namespace {

using engine::Address;
using engine::AddressKind;
using engine::AddressProps;
using engine::AddressPtr;
using engine::RouteCall;
using engine::config::DriverOption;
using engine::config::InstanceOptions;
using T = engine::config::OptType;

constexpr DriverOption kOptions[] = {
    {"allow_defer", T::Bool, false, "false"},
    {"allow_fail", T::Bool, false, "false"},
    {"allow_filter", T::Bool, false, "false"},
    {"allow_freeze", T::Bool, false, "false"},
    {"check_ancestor", T::Bool, false, "false"},
    {"check_group", T::Bool, false, ""},
    {"check_owner", T::Bool, false, ""},
    {"data", T::String, true, ""},
    {"directory_transport", T::String, true, ""},
    {"file", T::String, true, ""},
    {"file_transport", T::String, true, ""},
    {"filter_prepend_home", T::Bool, false, "true"},
    {"forbid_blackhole", T::Bool, false, "false"},
    {"forbid_exim_filter", T::Bool, false, "false"},
    {"forbid_file", T::Bool, false, "false"},
    {"forbid_filter_dlfunc", T::Bool, false, "false"},
    {"forbid_filter_existstest", T::Bool, false, "false"},
    {"forbid_filter_logwrite", T::Bool, false, "false"},
    {"forbid_filter_lookup", T::Bool, false, "false"},
    {"forbid_filter_perl", T::Bool, false, "false"},
    {"forbid_filter_readfile", T::Bool, false, "false"},
    {"forbid_filter_readsocket", T::Bool, false, "false"},
    {"forbid_filter_reply", T::Bool, false, "false"},
    {"forbid_filter_run", T::Bool, false, "false"},
    {"forbid_include", T::Bool, false, "false"},
    {"forbid_pipe", T::Bool, false, "false"},
    {"forbid_sieve_filter", T::Bool, false, "false"},
    {"forbid_smtp_code", T::Bool, false, "false"},
    {"hide_child_in_errmsg", T::Bool, false, "false"},
    {"ignore_eacces", T::Bool, false, "false"},
    {"ignore_enotdir", T::Bool, false, "false"},
    {"include_directory", T::String, false, ""},
    {"modemask", T::Octal, false, "022"},
    {"one_time", T::Bool, false, "false"},
    {"owners", T::UidList, false, ""},
    {"owngroups", T::GidList, false, ""},
    {"pipe_transport", T::String, true, ""},
    {"qualify_domain", T::String, true, ""},
    {"qualify_preserve_domain", T::Bool, false, "false"},
    {"repeat_use", T::Bool, false, "true"},
    {"reply_transport", T::String, true, ""},
    {"rewrite", T::Bool, false, "true"},
    {"sieve_enotify_mailto_owner", T::String, true, ""},
    {"sieve_subaddress", T::String, true, ""},
    {"sieve_useraddress", T::String, true, ""},
    {"sieve_vacation_directory", T::String, true, ""},
    {"skip_syntax_errors", T::Bool, false, "false"},
    {"syntax_errors_text", T::String, true, ""},
    {"syntax_errors_to", T::String, false, ""},
};

// What interpreting the data produced, in Exim's FF_ terms.
struct Interpretation {
  enum class Result : unsigned char {
    Delivered,
    NotDelivered,
    NonExist,
    Blackhole,
    Defer,
    Fail,
    Freeze,
    Error
  };
  Result result = Result::NotDelivered;
  std::vector<FilterAction> items;
  std::string message;
  bool message_set = false;
  bool is_filter = false;  // the data was a filter (for error texts)
  bool inspected = false;  // the data was read (an error before that keeps its own text)
  size_t skipped = 0;      // syntax errors skipped
};
using Res = Interpretation::Result;

struct Flags {
  bool allow_defer, allow_fail, allow_filter, allow_freeze, check_ancestor;
  bool filter_prepend_home, forbid_blackhole, forbid_exim_filter, forbid_file;
  bool forbid_filter_logwrite, forbid_filter_reply, forbid_include, forbid_pipe;
  bool forbid_sieve_filter, forbid_smtp_code, hide_child_in_errmsg;
  bool qualify_preserve_domain, skip_syntax_errors, one_time;
  unsigned forbid_expansions;  // lang::EvalContext::Forbid bits for filters
};

class Redirect : public Router {
 public:
  RouterResult route(RouteCall& call) override;
  TransportRule transport_rule() const override { return TransportRule::Forbidden; }
  static util::Result<std::unique_ptr<Router>> make(const InstanceOptions& o);

 private:
  RouterResult read_data(RouteCall& call, std::string& data, Interpretation& in);
  Interpretation interpret(RouteCall& call, const std::string& qualify);
  void interpret_list(RouteCall& call, const std::string& data, const std::string& qualify,
                      Interpretation& in);
  void interpret_filter(RouteCall& call, const std::string& data, const std::string& qualify,
                        Interpretation& in);
  RouterResult qualify_domain(RouteCall& call, std::string& out);
  RouterResult finish_message(RouteCall& call, RouterResult r, const Interpretation& in);
  void add_generated(RouteCall& call, const std::vector<FilterAction>& items,
                     const AddressProps& props, const engine::DeliveryIds& ids);
  void set_delivery_transport(RouteCall& call, Address& child);
  AddressPtr make_generated(RouteCall& call, const FilterAction& item);

  const lang::Program* data_ = nullptr;
  const lang::Program* file_ = nullptr;
  const lang::Program* qualify_domain_ = nullptr;
  const lang::Program* file_transport_ = nullptr;
  const lang::Program* pipe_transport_ = nullptr;
  const lang::Program* directory_transport_ = nullptr;
  const lang::Program* reply_transport_ = nullptr;
  std::string include_directory_;
  RedirectFileChecks checks_;  // without the local user, added when routing
  Flags f_{};
};

// modemask, check_owner, check_group (defaults: spec 22), owners, owngroups, ignore_*; an
// error text for an unknown owner or group.
std::string file_checks(const InstanceOptions& o, RedirectFileChecks& c) {
  c.modemask = o.get_int("modemask");
  bool local_user = o.get_bool("check_local_user");
  c.check_owner =
      o.is_set("check_owner") ? o.get_bool("check_owner") : local_user || o.is_set("owners");
  c.check_group = o.is_set("check_group")
                      ? o.get_bool("check_group")
                      : o.is_set("owngroups") || (local_user && (c.modemask & 020) == 0);
  c.ignore_eacces = o.get_bool("ignore_eacces");
  c.ignore_enotdir = o.get_bool("ignore_enotdir");
  std::string bad;
  if (!parse_uid_list(o.get_string("owners"), c.owners, bad))
    return "user \"" + bad + "\" was not found (owners)";
  if (!parse_gid_list(o.get_string("owngroups"), c.groups, bad))
    return "group \"" + bad + "\" was not found (owngroups)";
  return "";
}

util::Result<std::unique_ptr<Router>> Redirect::make(const InstanceOptions& o) {
  auto r = std::make_unique<Redirect>();
  r->data_ = o.program("data");
  r->file_ = o.program("file");
  if (o.is_set("data") && o.is_set("file"))
    return util::Error{"only one of \"file\" or \"data\" must be specified", {}};
  if (!o.is_set("data") && !o.is_set("file"))
    return util::Error{"one of \"file\" or \"data\" must be specified", {}};
  r->qualify_domain_ = o.program("qualify_domain");
  r->file_transport_ = o.program("file_transport");
  r->pipe_transport_ = o.program("pipe_transport");
  r->directory_transport_ = o.program("directory_transport");
  r->reply_transport_ = o.program("reply_transport");
  r->include_directory_ = o.get_string("include_directory");
  if (auto e = file_checks(o, r->checks_); !e.empty()) return util::Error{e, {}};
  Flags& f = r->f_;
  f.allow_defer = o.get_bool("allow_defer");
  f.allow_fail = o.get_bool("allow_fail");
  f.allow_filter = o.get_bool("allow_filter");
  f.allow_freeze = o.get_bool("allow_freeze");
  f.check_ancestor = o.get_bool("check_ancestor");
  f.filter_prepend_home = o.get_bool("filter_prepend_home");
  f.forbid_blackhole = o.get_bool("forbid_blackhole");
  f.forbid_exim_filter = o.get_bool("forbid_exim_filter");
  bool one_time = f.one_time = o.get_bool("one_time");
  f.forbid_file = o.get_bool("forbid_file") || one_time;
  f.forbid_filter_logwrite = o.get_bool("forbid_filter_logwrite");
  f.forbid_filter_reply = o.get_bool("forbid_filter_reply") || one_time;
  f.forbid_include = o.get_bool("forbid_include");
  f.forbid_pipe = o.get_bool("forbid_pipe") || one_time;
  f.forbid_sieve_filter = o.get_bool("forbid_sieve_filter");
  f.forbid_smtp_code = o.get_bool("forbid_smtp_code");
  f.hide_child_in_errmsg = o.get_bool("hide_child_in_errmsg");
  f.qualify_preserve_domain = o.get_bool("qualify_preserve_domain");
  f.skip_syntax_errors = o.get_bool("skip_syntax_errors");
  using F = lang::EvalContext::Forbid;
  f.forbid_expansions = (o.get_bool("forbid_filter_run") ? F::kForbidRun : 0u) |
                        (o.get_bool("forbid_filter_readfile") ? F::kForbidReadFile : 0u) |
                        (o.get_bool("forbid_filter_readsocket") ? F::kForbidReadSocket : 0u) |
                        (o.get_bool("forbid_filter_lookup") ? F::kForbidLookup : 0u);
  if (f.allow_filter && !o.is_set("user") && !o.get_bool("check_local_user"))
    return util::Error{"\"user\" or \"check_local_user\" must be set with \"allow_filter\"", {}};
  if (f.qualify_preserve_domain && o.is_set("qualify_domain"))
    return util::Error{"only one of \"qualify_domain\" or \"qualify_preserve_domain\" must be set",
                       {}};
  if (one_time && (o.is_set("unseen") || o.is_set("headers_add") || o.is_set("headers_remove")))
    return util::Error{
        "\"headers_add\", \"headers_remove\" and \"unseen\" may not be used "
        "with \"one_time\"",
        {}};
  return std::unique_ptr<Router>(std::move(r));
}

RouterResult Redirect::qualify_domain(RouteCall& call, std::string& out) {
  if (f_.qualify_preserve_domain) {
    out = call.address().domain;
    return RouterResult::Accept;
  }
  if (qualify_domain_) return call.expand_data(*qualify_domain_, "qualify_domain", out);
  const engine::config::Config& cfg = call.config();
  std::string d = engine::main_option(&cfg, "qualify_domain", engine::primary_hostname(&cfg));
  out = engine::main_option(&cfg, "qualify_recipient", d);
  return RouterResult::Accept;
}

// The redirection data: `data` expanded, or the file `file` names (spec 22.1).
RouterResult Redirect::read_data(RouteCall& call, std::string& data, Interpretation& in) {
  const lang::Program& p = data_ ? *data_ : *file_;
  lang::Status st = call.expand(p, data);
  Address& a = call.address();
  if (st.is_fail()) return RouterResult::Decline;
  if (st.is_error()) {
    a.message = "failed to expand \"" + p.text() + "\": " + st.message();
    return RouterResult::Defer;
  }
  if (data_) return RouterResult::Accept;
  if (data.empty() || data[0] != '/') {
    a.message = "\"" + data + "\" is not an absolute path";
    return RouterResult::Defer;
  }
  std::string path = data;
  RedirectFileChecks checks = checks_;
  engine::DeliveryIds ids;
  if (!call.delivery_ids(a, ids)) return RouterResult::Defer;
  checks.uid = ids.uid;
  checks.gid = ids.gid;
  if (const auto& pw = call.local_user()) {
    checks.owners.push_back(pw->uid);
    checks.groups.push_back(pw->gid);
  }
  std::string error;
  RedirectFileStatus fs = read_redirect_file(path, checks, data, error);
  if (fs == RedirectFileStatus::Missing) return RouterResult::Decline;
  if (fs == RedirectFileStatus::Error) {
    a.message = error;
    return RouterResult::Defer;
  }
  in.inspected = true;
  return RouterResult::Accept;
}

void Redirect::interpret_list(RouteCall& call, const std::string& data, const std::string& qualify,
                              Interpretation& in) {
  RedirectListOptions o;
  o.allow_fail = f_.allow_fail;
  o.allow_defer = f_.allow_defer;
  o.forbid_blackhole = f_.forbid_blackhole;
  o.forbid_include = f_.forbid_include;
  o.skip_syntax_errors = f_.skip_syntax_errors;
  o.allow_domain_literals = engine::config::main_bool(call.config(), "allow_domain_literals");
  o.incoming_domain = call.address().domain;
  o.qualify_domain = qualify;
  o.include_directory = include_directory_;
  RedirectList list = parse_redirect_list(data, o);
  static constexpr Res kMap[] = {Res::Delivered, Res::NotDelivered, Res::Blackhole,
                                 Res::Defer,     Res::Fail,         Res::Error};
  in.result = kMap[static_cast<int>(list.result)];
  in.message = list.message;
  in.message_set =
      list.result == RedirectList::Result::Fail || list.result == RedirectList::Result::Defer;
  in.skipped = list.skipped.size();
  for (RedirectItem& i : list.items) {
    FilterAction a;
    a.text = std::move(i.text);
    a.kind = i.kind;
    in.items.push_back(std::move(a));
  }
}

void Redirect::interpret_filter(RouteCall& call, const std::string& data,
                                const std::string& qualify, Interpretation& in) {
  in.is_filter = true;
  in.result = Res::Error;
  FilterType t = filter_type(data);
  if (!f_.allow_filter) {
    in.message = "filtering not enabled";
    return;
  }
  if (t == FilterType::Sieve) {
    in.message =
        f_.forbid_sieve_filter ? "Sieve filtering not enabled" : "Sieve filters are not supported";
    return;
  }
  if (f_.forbid_exim_filter) {
    in.message = "Exim filtering not enabled";
    return;
  }
  ParsedFilter pf = parse_exim_filter(data);
  if (!pf.program) {
    in.message = pf.error;
    return;
  }
  FilterOptions fo;
  fo.allow_fail = f_.allow_fail;
  fo.allow_defer = f_.allow_defer;
  fo.allow_freeze = f_.allow_freeze;
  fo.forbid_file = f_.forbid_file;
  fo.forbid_pipe = f_.forbid_pipe;
  fo.forbid_reply = f_.forbid_filter_reply;
  fo.forbid_logwrite = f_.forbid_filter_logwrite;
  fo.prepend_home = f_.filter_prepend_home;
  call.vars().get("home", fo.home);
  fo.qualify_domain = qualify;
  fo.user_address = call.address().local_part + "@" + call.address().domain;
  std::string sender;
  call.vars().get("sender_address", sender);
  fo.error_message = sender.empty();
  lang::EvalContext& ctx = call.ctx();
  unsigned saved = ctx.forbid;
  ctx.forbid |= f_.forbid_expansions;
  FilterResult r = run_exim_filter(*pf.program, ctx, call.vars(), fo);
  ctx.forbid = saved;
  static constexpr Res kMap[] = {Res::Delivered, Res::NotDelivered, Res::Defer,
                                 Res::Fail,      Res::Freeze,       Res::Error};
  in.result = kMap[static_cast<int>(r.result)];
  in.message = r.message;
  in.message_set = !r.message.empty();
  in.items = std::move(r.actions);
}

Interpretation Redirect::interpret(RouteCall& call, const std::string& qualify) {
  Interpretation in;
  std::string data;
  RouterResult rc = read_data(call, data, in);
  if (rc == RouterResult::Decline) {
    in.result = Res::NonExist;
    return in;
  }
  if (rc != RouterResult::Accept) {
    in.result = Res::Error;
    in.message = call.address().message;
    return in;
  }
  in.inspected = true;
  if (filter_type(data) != FilterType::None)
    interpret_filter(call, data, qualify, in);
  else
    interpret_list(call, data, qualify, in);
  return in;
}

// Exim's SORT_MESSAGE: the :fail:/:defer: text becomes the message the client may see, with
// a leading SMTP code removed when forbid_smtp_code is set.
RouterResult Redirect::finish_message(RouteCall& call, RouterResult r, const Interpretation& in) {
  Address& a = call.address();
  if (!in.message_set) {
    a.message = r == RouterResult::Fail ? "forced rejection" : "forced defer";
    return r;
  }
  std::string m = in.message;
  static const std::regex kCode(R"(^\d\d\d\s+(\d\.\d\d?\d?\.\d\d?\d?\s+)?)");
  std::smatch sm;
  if (f_.forbid_smtp_code && std::regex_search(m, sm, kCode)) m = m.substr(sm.length(0));
  a.message = a.user_message = m;
  a.has_message = true;
  a.pass_message = true;
  return r;
}

void Redirect::set_delivery_transport(RouteCall& call, Address& child) {
  const lang::Program* p = child.kind == AddressKind::Pipe        ? pipe_transport_
                           : child.kind == AddressKind::Directory ? directory_transport_
                           : child.kind == AddressKind::Reply     ? reply_transport_
                                                                  : file_transport_;
  std::string_view option = child.kind == AddressKind::Pipe        ? "pipe_transport"
                            : child.kind == AddressKind::Directory ? "directory_transport"
                            : child.kind == AddressKind::Reply     ? "reply_transport"
                                                                   : "file_transport";
  std::string var = child.kind == AddressKind::Pipe ? "address_pipe" : "address_file";
  std::string name;
  if (p) {
    call.vars().set(var, child.address);
    lang::Status st = call.expand(*p, name);
    call.vars().reset(var);
    if (!st.is_ok()) {
      child.transport_error = "failed to expand \"" + p->text() + "\" for " + std::string(option) +
                              " in " + call.router_name() + " router: " + st.message();
      return;
    }
  }
  (void)call.set_transport_named(child, name, option);
}

AddressPtr Redirect::make_generated(RouteCall& call, const FilterAction& item) {
  const AddressPtr& parent = call.address_ptr();
  if (item.kind != AddressKind::Mail) {
    AddressPtr c = engine::make_delivery_address(item.text, item.kind);
    c->parent = parent;
    return c;
  }
  AddressPtr c = engine::make_child(item.text, parent);
  if (!f_.check_ancestor) return c;
  for (const Address* p = parent.get(); p; p = p->parent.get()) {
    bool caseful =
        p->router >= 0 && call.chain().at(static_cast<size_t>(p->router)).opts.caseful_local_part;
    if (caseful ? c->address == p->address : util::iequals(c->address, p->address)) {
      c = engine::make_child(parent->address, parent);
      break;
    }
  }
  return c;
}

// Exim's add_generated: children in front of the pending list, first item first.
void Redirect::add_generated(RouteCall& call, const std::vector<FilterAction>& items,
                             const AddressProps& props, const engine::DeliveryIds& ids) {
  Address& a = call.address();
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    AddressPtr c = make_generated(call, *it);
    c->prop = props;
    c->start_router = call.generated_start();
    if (it->errors_to) c->prop.errors_to = it->errors_to;
    if (it->noerror) c->prop.ignore_error = true;
    if (f_.one_time) c->onetime_parent = engine::top_ancestor(a).address;
    if (engine::is_delivery_address(*c)) {
      c->router = a.router;
      c->router_name = a.router_name;
      c->ids = ids;
      c->allow_pipe = !f_.forbid_pipe;
      c->allow_file = !f_.forbid_file;
      c->allow_reply = !f_.forbid_filter_reply;
      set_delivery_transport(call, *c);
    }
    ++a.child_count;
    call.add_new(std::move(c));
  }
}

RouterResult Redirect::route(RouteCall& call) {
  Address& a = call.address();
  AddressProps props;
  props.address_data = a.prop.address_data;
  props.address_data_set = a.prop.address_data_set;
  call.vars().get("domain_data", props.domain_data);
  call.vars().get("local_part_data", props.local_part_data);
  props.vars = a.prop.vars;
  props.ignore_error = a.prop.ignore_error;
  engine::DeliveryIds ids;
  if (!call.delivery_ids(a, ids)) return RouterResult::Defer;
  if (const auto& pw = call.local_user()) {
    ids.home_dir = pw->dir;
    ids.home_expanded = true;
  }
  std::string qualify;
  RouterResult rc = qualify_domain(call, qualify);
  if (rc != RouterResult::Accept) return rc;
  Interpretation in = interpret(call, qualify);
  switch (in.result) {
    case Res::NonExist:
      a.message.clear();
      return RouterResult::Decline;
    case Res::Blackhole:
      return RouterResult::Discard;
    case Res::Defer:
      return finish_message(call, RouterResult::Defer, in);
    case Res::Fail:
    case Res::Freeze:
      if ((rc = call.errors_and_headers(props)) != RouterResult::Accept) return rc;
      a.prop.errors_to = props.errors_to;
      add_generated(call, in.items, props, ids);
      if (in.result == Res::Freeze) {
        a.message = in.message_set ? in.message : "frozen by filter";
        return RouterResult::Defer;
      }
      return finish_message(call, RouterResult::Fail, in);
    case Res::Error:
      if (!in.inspected) return RouterResult::Defer;
      a.message = "error in " + std::string(in.is_filter ? "filter" : "redirect") + " " +
                  (data_ ? "data" : "file") + ": " + in.message;
      return RouterResult::Defer;
    default:
      break;
  }
  if (in.skipped > 0 && in.items.empty()) {
    a.message = "syntax error in redirection data";
    return RouterResult::Decline;
  }
  if (!in.items.empty()) {
    if ((rc = call.errors_and_headers(props)) != RouterResult::Accept) return rc;
    a.prop.errors_to = props.errors_to;
    add_generated(call, in.items, props, ids);
  }
  if (in.result == Res::Delivered) {
    if (in.items.empty()) return RouterResult::Discard;
  } else {
    // No significant delivery: the address goes on as a child copy of itself (or, when
    // nothing was generated, the router declines).
    if (in.items.empty()) return RouterResult::Decline;
    AddressPtr copy = engine::make_child(a.address, call.address_ptr());
    copy->prop = props;
    copy->start_router = call.generated_start();
    ++a.child_count;
    call.add_new(std::move(copy));
  }
  call.add_succeeded(call.address_ptr());
  return RouterResult::Accept;
}

const RouterRegistrar kRegistrar({"redirect", kOptions, Redirect::make});

}  // namespace
}  // namespace routers

#include "lang/match/hostlist.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>

#include "lang/context.h"
#include "lang/expand.h"
#include "lang/lists.h"
#include "lang/lookup.h"
#include "lang/match/listmatch.h"
#include "lang/match/pattern.h"
#include "util/ip.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr int kMaxNamedDepth = 50;  // named lists referring to named lists

enum class Verdict : unsigned char { Match, NoMatch, Unknown, Defer, Stop };
enum class UnknownPolicy : unsigned char { Fail, Include, Ignore };

// Where a list scan stands: the sense of the last item, and the +..._unknown and
// +..._defer policies (Fail: an unknown item ends the match with "no", a deferred one defers).
struct ScanState {
  bool last_negated = false;
  UnknownPolicy policy = UnknownPolicy::Fail;
  UnknownPolicy defer_policy = UnknownPolicy::Fail;
  bool decided = false;
  bool matched = false;
  bool stopped = false;  // an unknown item ended the whole match with "no"
};

// Exim's host_is_in_net(): the mask applies to the first 32-bit word only when it is
// negative (a mask beyond 2^31 in the text), as the shift in Exim's C code does on x86.
int effective_mask(int mask, int bits) {
  if (mask < 0) return 32 - static_cast<int>((32u - static_cast<unsigned>(mask)) & 31u);
  return mask > bits ? bits : mask;
}

class HostListMatcher {
 public:
  HostListMatcher(EvalContext& ctx, const HostInfo& host, HostListMode mode, HostMatch& out)
      : ctx_(ctx), host_(host), mode_(mode), out_(out) {
    auto t = util::parse_ip_text(host.address, false);
    if (t) host_ip_ = t->addr;  // a "%zone" is ignored
  }

  Status scan(std::string_view list, ScanState& st) {
    ListReader r(list);
    std::string item;
    while (!st.decided && r.next(item)) LANG_TRY(process(item, false, false, st));
    return Status::ok();
  }

 private:
  static bool set_policy(std::string_view item, ScanState& st) {
    if (item == "+include_unknown")
      st.policy = UnknownPolicy::Include;
    else if (item == "+ignore_unknown")
      st.policy = UnknownPolicy::Ignore;
    else if (item == "+include_defer")
      st.defer_policy = UnknownPolicy::Include;
    else if (item == "+ignore_defer")
      st.defer_policy = UnknownPolicy::Ignore;
    else
      return false;
    return true;
  }

  Status process(std::string_view item, bool negate, bool in_file, ScanState& st) {
    bool neg = list_strip_negation(item) != negate;
    if (!in_file && set_policy(item, st)) return Status::ok();
    if (!in_file && !item.empty() && item[0] == '/') return scan_file(item, neg, st);
    Verdict v = Verdict::NoMatch;
    LANG_TRY(check(item, v));
    st.last_negated = neg;
    if (v == Verdict::Defer) {
      if (st.defer_policy == UnknownPolicy::Ignore) return Status::ok();
      if (st.defer_policy == UnknownPolicy::Fail) return Status::error("");
      v = Verdict::Match;
      neg = false;  // "as if the host does match the list"
    }
    if (v == Verdict::Unknown) {
      if (st.policy == UnknownPolicy::Ignore) return Status::ok();
      v = st.policy == UnknownPolicy::Include ? Verdict::Match : Verdict::Stop;
      if (v == Verdict::Match) neg = false;  // "as if the host does match the list"
    }
    if (v == Verdict::Stop) {
      st.decided = st.stopped = true;
      st.matched = false;
    } else if (v == Verdict::Match) {
      st.decided = true;
      st.matched = !neg;
    }
    return Status::ok();
  }

  // A file named in the list: each line (without '#' comments, trimmed) is an item.
  Status scan_file(std::string_view name, bool negate, ScanState& st) {
    std::ifstream f{std::string(name)};
    if (!f) {
      out_.detail = "failed to open " + std::string(name) +
                    " while checking a list: " + util::errno_text(errno);
      return Status::error("");
    }
    std::string line;
    while (!st.decided && std::getline(f, line)) {
      std::string_view t = list_file_line(line, ListKind::Host);
      if (!t.empty()) LANG_TRY(process(t, negate, true, st));
    }
    return Status::ok();
  }

  Status check(std::string_view item, Verdict& v) {
    if (item.empty()) {
      v = host_.address.empty() ? Verdict::Match : Verdict::NoMatch;
      return Status::ok();
    }
    if (item == "*") {
      v = Verdict::Match;
      return Status::ok();
    }
    if (item[0] == '+') return check_named(item, v);
    if (host_.address.empty()) {
      v = Verdict::NoMatch;  // no remote host: only "", "*" and sublists can match
      return Status::ok();
    }
    if (auto t = util::parse_ip_text(item, true)) {
      v = ip_matches(*t) ? Verdict::Match : Verdict::NoMatch;
      return Status::ok();
    }
    if (item == "@[]") {
      v = local_interface() ? Verdict::Match : Verdict::NoMatch;
      return Status::ok();
    }
    if (item.find(';') != std::string_view::npos) return check_lookup(item, v);
    if (item == "@") return check_forward(primary_hostname(), v);
    if (is_plain_name(item)) return check_forward(item, v);
    return check_name(item, v);
  }

  // Letters, digits, '.', '-', '_': a host name whose addresses are looked up (spec 10.12).
  static bool is_plain_name(std::string_view item) {
    return std::all_of(item.begin(), item.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
  }

  std::string primary_hostname() const {
    std::string h;
    if (ctx_.vars) ctx_.vars->get("primary_hostname", h);
    return h;
  }

  bool ip_matches(const util::IpText& t) const {
    if (!host_ip_) return false;
    const util::IpAddress h = host_ip_->unmapped();
    const int bits = h.bit_count();
    return h.same_prefix(t.addr, t.has_mask ? effective_mask(t.mask, bits) : bits);
  }

  bool local_interface() const {
    if (!host_ip_) return false;
    for (const auto& a : util::local_interface_addresses()) {
      if (a.unmapped() == host_ip_->unmapped()) return true;
    }
    return false;
  }

  Status check_forward(std::string_view name, Verdict& v);
  Status check_name(std::string_view item, Verdict& v);
  HostFind names();

  Status check_named(std::string_view item, Verdict& v);
  Status check_lookup(std::string_view item, Verdict& v);
  Status run_lookup(const LookupSpec& spec, const std::string& source, std::string_view key,
                    Verdict& v);

  EvalContext& ctx_;
  const HostInfo& host_;
  HostListMode mode_;
  HostMatch& out_;
  std::optional<util::IpAddress> host_ip_;
  int depth_ = 0;
  // The host's verified names (name, then aliases), found on first need.
  std::optional<HostFind> names_found_;
  std::vector<std::string> names_;
};

// A plain name: its addresses, compared with the host's (not in IpOnly mode).
Status HostListMatcher::check_forward(std::string_view name, Verdict& v) {
  if (mode_ == HostListMode::IpOnly || !host_ip_) {
    v = mode_ == HostListMode::IpOnly ? Verdict::Unknown : Verdict::NoMatch;
    return Status::ok();
  }
  std::vector<util::IpAddress> addrs;
  switch (dns_host_addresses(ctx_, name, addrs)) {
    case HostFind::Defer:
      out_.detail = "DNS lookup of \"" + std::string(name) + "\" deferred";
      v = Verdict::Defer;
      return Status::ok();
    case HostFind::NotFound:
      out_.detail = "failed to find IP address for " + std::string(name);
      v = Verdict::Unknown;
      return Status::ok();
    case HostFind::Found:
      break;
  }
  const util::IpAddress h = host_ip_->unmapped();
  v = std::any_of(addrs.begin(), addrs.end(),
                  [&](const util::IpAddress& a) { return a.unmapped() == h; })
          ? Verdict::Match
          : Verdict::NoMatch;
  return Status::ok();
}

// The host's verified names, from HostInfo, the name source, or a lookup of our own.
HostFind HostListMatcher::names() {
  if (names_found_) return *names_found_;
  std::string name = host_.name;
  std::vector<std::string> aliases = host_.aliases;
  HostFind f = HostFind::Found;
  if (name.empty()) {
    if (host_.names) {
      f = host_.names->host_names(name, aliases);
    } else if (host_ip_) {
      HostName h = dns_host_name(ctx_, *host_ip_);
      f = h.outcome;
      name = std::move(h.name);
      aliases = std::move(h.aliases);
    } else {
      f = HostFind::NotFound;
    }
  }
  if (f == HostFind::Found) {
    names_.push_back(std::move(name));
    names_.insert(names_.end(), aliases.begin(), aliases.end());
  }
  names_found_ = f;
  return f;
}

// "*suffix", "^regex" and other non-plain text: matched against each verified name.
Status HostListMatcher::check_name(std::string_view item, Verdict& v) {
  if (mode_ == HostListMode::IpOnly || names() != HostFind::Found) {
    if (mode_ == HostListMode::Acl) out_.detail = "failed to find host name for " + host_.address;
    v = Verdict::Unknown;
    return Status::ok();
  }
  v = Verdict::NoMatch;
  for (const auto& n : names_) {
    Pattern::Found found;
    switch (pattern_match(ctx_, item, n, {}, found)) {
      case MatchResult::Match:
        v = Verdict::Match;
        return Status::ok();
      case MatchResult::Defer:
        out_.detail = found.error;
        return Status::error(found.error);
      case MatchResult::NoMatch:
        break;
    }
  }
  return Status::ok();
}

Status HostListMatcher::check_named(std::string_view item, Verdict& v) {
  std::string_view name = item.substr(1);
  const NamedList* nl = ctx_.lists ? ctx_.lists->find(name) : nullptr;
  if (!nl || nl->kind != ListKind::Host) {
    out_.detail = "unknown named host list \"" + std::string(item) + "\"";
    return Status::error("");
  }
  if (depth_ >= kMaxNamedDepth) {
    out_.detail = "named host lists nested too deeply at \"" + std::string(item) + "\"";
    return Status::error("");
  }
  std::string text;
  Status st = expand_string(nl->value, ctx_, text);
  if (st.is_fail()) {  // forced failure: the host is not in that list
    v = Verdict::NoMatch;
    return Status::ok();
  }
  if (st.is_error()) {
    out_.detail = "failed to expand \"" + nl->value + "\" while checking a list: " + st.message();
    return Status::error("");
  }
  ScanState sub;
  ++depth_;
  st = scan(text, sub);
  --depth_;
  LANG_TRY(st);
  if (!sub.decided) sub.matched = sub.last_negated;
  v = sub.stopped ? Verdict::Stop : sub.matched ? Verdict::Match : Verdict::NoMatch;
  return Status::ok();
}

// The "net<N>-" prefix of a lookup type: returns its length (0 when the type does not start
// with "net"; npos when "net" is not followed by digits and '-', which makes the item a host
// name, as in Exim). `mlen` gets N, or -1 when there are no digits.
size_t net_prefix(std::string_view type, int& mlen) {
  mlen = -1;
  if (type.substr(0, 3) != "net") return 0;
  size_t i = 3;
  for (; i < type.size() && std::isdigit(static_cast<unsigned char>(type[i])); ++i) {
    mlen = std::min((mlen < 0 ? 0 : mlen) * 10 + (type[i] - '0'), 100000);
  }
  if (i >= type.size() || type[i] != '-') return std::string_view::npos;
  return i + 1;
}

// "net<N>-type;data" and "type;data" items.
Status HostListMatcher::check_lookup(std::string_view item, Verdict& v) {
  const size_t semi = item.find(';');
  std::string_view type = item.substr(0, semi);
  const std::string source(item.substr(semi + 1));
  int mlen = -1;
  const size_t skip = net_prefix(type, mlen);
  if (skip == std::string_view::npos) return check_name(item, v);
  const bool net = skip > 0;
  type.remove_prefix(skip);
  LookupSpec spec;
  LANG_TRY(lookup_parse_spec(type, spec));
  if (spec.def->query_style) return run_lookup(spec, source, "", v);
  if (!net && mode_ == HostListMode::Acl) {  // keyed by the host's names
    if (names() != HostFind::Found) {
      v = Verdict::Unknown;
      return Status::ok();
    }
    for (const auto& n : names_) {
      LANG_TRY(run_lookup(spec, source, n, v));
      if (v == Verdict::Match) break;
    }
    return Status::ok();
  }
  if (spec.partial >= 0 || spec.star || spec.star_at) {
    return Status::error("unknown lookup type \"" + std::string(type) + "\"");
  }
  if (!host_ip_) {
    v = Verdict::NoMatch;
    return Status::ok();
  }
  // Keys: the address as received (an IPv4-mapped address stays IPv6), IPv6 unabbreviated.
  const char sep = spec.def->name == "iplsearch" ? ':' : '.';
  std::string key = mlen < 0 ? host_ip_->full(sep)
                             : host_ip_->masked(mlen).full(sep) + "/" + std::to_string(mlen);
  return run_lookup(spec, source, key, v);
}

Status HostListMatcher::run_lookup(const LookupSpec& spec, const std::string& source,
                                   std::string_view key, Verdict& v) {
  LookupResult r = lookup_run(ctx_, spec, source, key);
  switch (r.outcome) {
    case LookupOutcome::Found:
      v = Verdict::Match;
      out_.has_data = true;
      out_.data = std::move(r.value);
      return Status::ok();
    case LookupOutcome::NotFound:
      v = Verdict::NoMatch;
      return Status::ok();
    case LookupOutcome::Defer:
      break;
  }
  out_.detail = r.message;
  return Status::error(r.message);
}

}  // namespace

Status match_hostlist(EvalContext& ctx, std::string_view list, const HostInfo& host,
                      HostListMode mode, HostMatch& out) {
  out = HostMatch{};
  HostListMatcher m(ctx, host, mode, out);
  ScanState st;
  LANG_TRY(m.scan(list, st));
  out.matched = st.decided ? st.matched : st.last_negated;
  if (!out.matched) out.has_data = false;
  return Status::ok();
}

}  // namespace lang

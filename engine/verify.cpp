// engine/verify.cpp — verify_address(): the routing loop of -bt, -bv, ACL verification,
// VRFY and EXPN, and Exim's report (see verify.h).
#include "engine/verify.h"

#include <algorithm>

#include "engine/variables.h"

namespace engine {
namespace {

using routers::RouterResult;

// Exim's parse_find_at: an '@' outside quotes.
bool has_domain(std::string_view a) {
  bool quoted = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == '\\' && quoted)
      ++i;
    else if (a[i] == '"')
      quoted = !quoted;
    else if (a[i] == '@' && !quoted)
      return true;
  }
  return false;
}

std::string qualify_domain_for(const config::Config& cfg, bool recipient) {
  std::string d = main_option(&cfg, "qualify_domain", primary_hostname(&cfg));
  return recipient ? main_option(&cfg, "qualify_recipient", d) : d;
}

void print(std::FILE* out, const std::string& s) {
  if (out) std::fwrite(s.data(), 1, s.size(), out);
}

std::string parents_text(const Address& a) {
  std::string s;
  for (const Address* p = a.parent.get(); p; p = p->parent.get()) s += "\n    <-- " + p->address;
  return s;
}

// "host NAME [ADDR]" lines, columns padded as Exim pads them.
std::string hosts_text(const Address& a, const TransportInfo* t) {
  size_t maxlen = 0, maxaddr = 0;
  for (const Host& h : a.hosts) {
    maxlen = std::max(maxlen, h.name.size());
    maxaddr = std::max(maxaddr, h.address.empty() ? size_t{7} : h.address.size());
  }
  std::string s;
  for (const Host& h : a.hosts) {
    s += "  host " + h.name + std::string(maxlen - h.name.size(), ' ') + " ";
    if (!h.address.empty())
      s += "[" + h.address + "]" + std::string(maxaddr - h.address.size(), ' ');
    else if (t && t->local)
      s += " " + std::string(maxaddr, ' ') + " ";
    else
      s += "[unknown]" + std::string(maxaddr - 7, ' ');
    if (h.mx >= 0) s += " MX=" + std::to_string(h.mx);
    if (h.port != Host::kNone) s += " port=" + std::to_string(h.port);
    if (h.unusable) s += " ** unusable **";
    s += "\n";
  }
  return s;
}

class Verifier {
 public:
  Verifier(RouteEnv& env, const VerifySettings& vs) : env_(env), vs_(vs) {}
  VerifyOutcome run(std::string address);

 private:
  bool qualify(std::string& address);
  void report_delivery_address(const Address& a);
  bool failed(const AddressPtr& a, RouterResult rc);
  void expn_reply(const AddressPtr& a);
  bool short_success(const AddressPtr& a);
  void report_routed();
  void copy_error(const Address& a, RouterResult rc);

  RouteEnv& env_;
  const VerifySettings& vs_;
  RouteLists lists_;
  VerifyOutcome out_;
  bool allok_ = true;
};

bool Verifier::qualify(std::string& address) {
  if (has_domain(address)) return true;
  if (!vs_.qualify) {
    print(vs_.out, (vs_.mode == RouteMode::Expn ? "553 " : "") +
                       std::string("A domain is required for \"") + address + "\"\n");
    out_.status = RouterResult::Fail;
    out_.message = "qualify";
    return false;
  }
  address += "@" + qualify_domain_for(env_.chain->config(), vs_.mode != RouteMode::VerifySender);
  return true;
}

void Verifier::report_delivery_address(const Address& a) {
  allok_ = false;
  if (!vs_.out) return;
  bool allow = a.kind == AddressKind::Pipe    ? a.allow_pipe
               : a.kind == AddressKind::Reply ? a.allow_reply
                                              : a.allow_file;
  std::string parent = a.parent ? a.parent->address : "";
  std::string s = a.kind == AddressKind::Reply ? parent + " -> mail " + a.address.substr(1)
                                               : parent + " -> " + a.address;
  if (!a.transport_error.empty())
    s += "\n*** Error in setting up pipe, file, or autoreply:\n" + a.transport_error + "\n";
  else if (allow)
    s += "\n  transport = " + a.transport + "\n";
  else
    s += " *** forbidden ***\n";
  print(vs_.out, s);
}

void Verifier::copy_error(const Address& a, RouterResult rc) {
  out_.status = rc;
  out_.message = a.message;
  out_.user_message = a.user_message;
  out_.pass_message = a.pass_message;
}

// A failure or deferral: reported; true when verification ends here (short form).
bool Verifier::failed(const AddressPtr& a, RouterResult rc) {
  allok_ = false;
  bool test = vs_.mode == RouteMode::Test || vs_.mode == RouteMode::Expn;
  bool expn = vs_.mode == RouteMode::Expn;
  std::string s = (expn ? "553 " : "") + (vs_.full ? a->address : out_.address);
  if (rc == RouterResult::Fail) {
    s += test ? " is undeliverable" : " failed to verify";
    if (!expn && (a->has_message || !a->message.empty())) s += ": " + a->message;
  } else {
    s += " cannot be resolved at this time";
    if (!expn) s += ": " + (a->message.empty() && !a->has_message ? "unknown error" : a->message);
  }
  if (vs_.full) s += parents_text(*a);
  if (expn) out_.expn.push_back(s.substr(4));
  print(vs_.out, s + "\n");
  if (!vs_.full) {
    copy_error(*a, rc);
    return true;
  }
  if (rc == RouterResult::Fail) out_.status = RouterResult::Fail;
  if (rc == RouterResult::Defer && out_.status == RouterResult::Accept)
    out_.status = RouterResult::Defer;
  return false;
}

// EXPN stops at the top level: the generated addresses, or the address itself.
void Verifier::expn_reply(const AddressPtr& a) {
  (void)a;
  if (lists_.pending.empty()) {
    bool discarded = lists_.local.empty() && lists_.remote.empty();
    out_.expn.push_back(discarded ? "mail to <" + out_.address + "> is discarded"
                                  : "<" + out_.address + ">");
  }
  for (const AddressPtr& c : lists_.pending) out_.expn.push_back("<" + c->address + ">");
  for (const std::string& line : out_.expn) print(vs_.out, "250 " + line + "\r\n");
}

// The short form stops when routing ends or fans out (spec 44.45: a single generated address
// is verified in turn).
bool Verifier::short_success(const AddressPtr& a) {
  const auto& p = lists_.pending;
  bool stop =
      p.empty() || p.size() > 1 || is_delivery_address(*p.front()) || vs_.success_on_redirect;
  if (!stop) return false;
  bool test = vs_.mode == RouteMode::Test;
  print(vs_.out, out_.address + (test ? " is deliverable\n" : " verified\n"));
  out_.address_data = a->prop.address_data;
  out_.address_data_set = a->prop.address_data_set;
  out_.status = RouterResult::Accept;
  if (p.empty() && !a->transport.empty()) out_.routed = a;
  return true;
}

void Verifier::report_routed() {
  if (allok_ && lists_.local.empty() && lists_.remote.empty()) {
    print(vs_.out, "mail to " + out_.address + " is discarded\n");
    return;
  }
  for (const auto* list : {&lists_.local, &lists_.remote}) {
    for (const AddressPtr& a : *list) {
      std::string s = a->address;
      if (vs_.duplicates && !is_delivery_address(*a) && !vs_.duplicates->insert(a->unique).second)
        s += "   [duplicate, would not be delivered]";
      const TransportInfo* t = env_.chain->transport(a->transport);
      s += parents_text(*a) + "\n  router = " + a->router_name +
           ", transport = " + (a->transport.empty() ? "unset" : a->transport) + "\n";
      if (!a->hosts.empty() && t && !t->overrides_hosts) s += hosts_text(*a, t);
      print(vs_.out, s);
    }
  }
}

VerifyOutcome Verifier::run(std::string address) {
  if (!qualify(address)) return out_;
  out_.address = address;
  lists_.pending.push_front(make_address(address));
  while (!lists_.pending.empty()) {
    AddressPtr a = lists_.pending.front();
    lists_.pending.pop_front();
    if (is_delivery_address(*a)) {
      report_delivery_address(*a);
      continue;
    }
    RouterResult rc = route_address(a, env_, lists_);
    if (rc == RouterResult::Rerouted) continue;
    if (rc == RouterResult::Fail || rc == RouterResult::Defer) {
      if (failed(a, rc)) return out_;
      continue;
    }
    if (vs_.mode == RouteMode::Expn) {
      expn_reply(a);
      return out_;
    }
    if (!vs_.full && short_success(a)) return out_;
  }
  if (vs_.full) report_routed();
  return out_;
}

}  // namespace

VerifyOutcome verify_address(std::string address, RouteEnv& env, const VerifySettings& vs) {
  return Verifier(env, vs).run(std::move(address));
}

}  // namespace engine

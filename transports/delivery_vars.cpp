// transports/delivery_vars.cpp — address variables and option expansion for transports.
#include "transports/delivery_vars.h"

namespace transports {
namespace {

std::string_view local_of(std::string_view addr) {
  size_t at = addr.rfind('@');
  return at == std::string_view::npos ? addr : addr.substr(0, at);
}
std::string_view domain_of(std::string_view addr) {
  size_t at = addr.rfind('@');
  return at == std::string_view::npos ? std::string_view() : addr.substr(at + 1);
}

}  // namespace

DeliveryVariables::DeliveryVariables(const lang::VariableSource* base, const Delivery& d,
                                     std::string_view transport_name)
    : base_(base) {
  own_["transport_name"] = std::string(transport_name);
  if (!d.return_path.empty() || (d.message && d.message->envelope().sender.empty()))
    own_["return_path"] = d.return_path;
  if (d.addresses.size() == 1) {
    set_address(d.addresses.front());
    return;
  }
  bool same_domain = !d.addresses.empty();
  for (const DeliveryAddress& a : d.addresses)
    same_domain = same_domain && a.domain == d.addresses.front().domain;
  if (same_domain) own_["domain"] = d.addresses.front().domain;
}

void DeliveryVariables::set_address(const DeliveryAddress& a) {
  auto put = [&](const char* n, const std::string& v) {
    if (!v.empty()) own_[n] = v;
  };
  own_["local_part"] = a.local_part;
  own_["domain"] = a.domain;
  put("local_part_prefix", a.prefix);
  put("local_part_suffix", a.suffix);
  put("local_part_data", a.local_part_data);
  put("domain_data", a.domain_data);
  put("address_data", a.address_data);
  put("home", a.home);
  put("address_file", a.file);
  put("address_pipe", a.pipe);
  put("router_name", a.router);
  const std::string& orig = a.original.empty() ? a.address : a.original;
  own_["original_local_part"] = std::string(local_of(orig));
  own_["original_domain"] = std::string(domain_of(orig));
  if (!a.parent.empty()) {
    own_["parent_local_part"] = std::string(local_of(a.parent));
    own_["parent_domain"] = std::string(domain_of(a.parent));
  }
  if (!a.hosts.empty()) {
    own_["host"] = a.hosts.front().name;
    if (!a.hosts.front().address.empty()) own_["host_address"] = a.hosts.front().address;
  }
}

void DeliveryVariables::unset(std::string_view name) {
  auto it = own_.find(name);
  if (it != own_.end()) own_.erase(it);
}

bool DeliveryVariables::get(std::string_view name, std::string& out) const {
  if (auto it = own_.find(name); it != own_.end()) {
    out = it->second;
    return true;
  }
  return base_ && base_->get(name, out);
}

bool DeliveryVariables::header(std::string_view kind, std::string_view name,
                               std::string& out) const {
  return base_ && base_->header(kind, name, out);
}

Expander::Expander(const TransportServices& s, const Delivery& d, std::string_view transport_name)
    : transport_(transport_name), vars_(s.vars, d, transport_name) {
  ctx_.vars = &vars_;
  ctx_.lists = s.lists;
}

ExpandOutcome Expander::expand(const lang::Program& p, std::string& out, std::string& error) {
  lang::Status st = p.eval(ctx_, out);
  if (st.is_ok()) return ExpandOutcome::Ok;
  error = st.message();
  return st.is_fail() ? ExpandOutcome::Forced : ExpandOutcome::Error;
}

ExpandOutcome Expander::expand_text(std::string_view text, std::string& out, std::string& error) {
  lang::Status st = lang::expand_string(text, ctx_, out);
  if (st.is_ok()) return ExpandOutcome::Ok;
  error = st.message();
  return st.is_fail() ? ExpandOutcome::Forced : ExpandOutcome::Error;
}

ExpandOutcome Expander::option(const lang::Program* p, std::string_view option_name,
                               std::string& out, std::string& error, std::string_view dflt) {
  if (!p) {
    out = std::string(dflt);
    return ExpandOutcome::Ok;
  }
  std::string msg;
  ExpandOutcome r = expand(*p, out, msg);
  if (r != ExpandOutcome::Ok) {
    error = "failed to expand \"" + std::string(option_name) + "\" in " + transport_ +
            " transport: " + (r == ExpandOutcome::Forced ? "forced failure" : msg);
  }
  return r;
}

}  // namespace transports

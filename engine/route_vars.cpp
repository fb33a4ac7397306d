#include "engine/route_vars.h"

namespace engine {

bool RouteVariables::get(std::string_view name, std::string& out) const {
  auto it = values_.find(name);
  if (it != values_.end()) {
    if (!it->second.set) return false;
    out = it->second.text;
    return true;
  }
  return base_ && base_->get(name, out);
}

bool RouteVariables::header(std::string_view kind, std::string_view name, std::string& out) const {
  return base_ && base_->header(kind, name, out);
}

void RouteVariables::set(std::string_view name, std::string value) {
  values_[std::string(name)] = {std::move(value), true};
}

void RouteVariables::hide(std::string_view name) {
  values_[std::string(name)] = {"", false};
}

void RouteVariables::reset(std::string_view name) {
  auto it = values_.find(name);
  if (it != values_.end()) values_.erase(it);
}

void RouteVariables::set_address(const Address& a) {
  if (is_delivery_address(a)) {
    bool pipe = a.kind == AddressKind::Pipe;
    set(pipe ? "address_pipe" : "address_file", a.address);
    hide(pipe ? "address_file" : "address_pipe");
  } else {
    hide("address_file");
    hide("address_pipe");
  }
  set("local_part", a.local_part);
  set("domain", a.domain);
  set("local_part_prefix", a.prefix);
  set("local_part_prefix_v", a.prefix_v);
  set("local_part_suffix", a.suffix);
  set("local_part_suffix_v", a.suffix_v);
  const Address& top = top_ancestor(a);
  set("original_local_part", top.local_part.empty() ? top.lc_local_part : top.local_part);
  set("original_domain", top.domain);
  if (a.parent) {
    set("parent_local_part", a.parent->local_part);
    set("parent_domain", a.parent->domain);
  } else {
    hide("parent_local_part");
    hide("parent_domain");
  }
  if (a.prop.address_data_set)
    set("address_data", a.prop.address_data);
  else
    hide("address_data");
  set("domain_data", a.prop.domain_data);
  set("local_part_data", a.prop.local_part_data);
  for (const auto& [name, value] : a.prop.vars) set(name, value);
}

void RouteVariables::set_sender(std::string_view sender) {
  set("sender_address", std::string(sender));
  size_t at = sender.rfind('@');
  set("sender_address_domain",
      at == std::string_view::npos ? "" : std::string(sender.substr(at + 1)));
  set("sender_address_local_part", std::string(sender.substr(0, at)));
}

}  // namespace engine

// engine/deliver_log.cpp — how delivery log lines show addresses and hosts (spec 53.7 "Logging
// deliveries", 53.10 "Delivery failures").
#include "engine/deliver_internal.h"

namespace engine::deliver_detail {

const std::string& top_address(const Address& a) {
  const Address* p = &a;
  while (p->parent) p = p->parent.get();
  return p->address;
}

std::string log_address(const Address& a, bool local_part_only) {
  std::string s;
  if (is_delivery_address(a)) {
    s = a.kind == AddressKind::Reply ? ">" + a.address.substr(a.address[0] == '>' ? 1 : 0)
                                     : a.address;
  } else if (local_part_only) {
    s = a.prefix + a.local_part + a.suffix;
  } else {
    s = a.address;
  }
  if (a.parent) {
    const Address* top = a.parent.get();
    while (top->parent) top = top->parent.get();
    if (a.parent.get() != top) s += " (" + a.parent->address + ")";
    s += " <" + top->address + ">";
  } else if (s != a.address) {
    s += " <" + a.address + ">";
  }
  return s;
}

// A host as "name [ip]:port", with a "*" after it for a connection carried on from an earlier
// message (spec 53.7); without the port unless outgoing_port is selected.
std::string log_host(std::string_view host, bool with_port) {
  std::string h(host);
  bool continued = !h.empty() && h.back() == '*';
  if (continued) h.pop_back();
  if (!with_port) {
    size_t b = h.rfind(']');
    if (b != std::string::npos && b + 1 < h.size() && h[b + 1] == ':') h.resize(b + 1);
  }
  return "H=" + h + (continued ? "*" : "");
}

}  // namespace engine::deliver_detail

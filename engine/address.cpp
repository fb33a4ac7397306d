#include "engine/address.h"

#include "engine/smtp/address.h"
#include "util/strings.h"

namespace engine {

AddressPtr make_address(std::string text) {
  auto a = std::make_shared<Address>();
  size_t at = text.rfind('@');
  std::string lp = at == std::string::npos ? text : text.substr(0, at);
  if (at != std::string::npos) a->domain = util::to_lower(std::string_view(text).substr(at + 1));
  a->cc_local_part = !lp.empty() && lp[0] == '"' ? smtp::unquote_local_part(lp) : lp;
  a->lc_local_part = util::to_lower(a->cc_local_part);
  a->local_part = a->lc_local_part;
  a->unique = text;
  a->address = std::move(text);
  return a;
}

AddressPtr make_delivery_address(std::string text, AddressKind kind) {
  auto a = std::make_shared<Address>();
  a->unique = text;
  a->address = std::move(text);
  a->kind = kind;
  return a;
}

AddressPtr make_child(std::string text, const AddressPtr& parent) {
  AddressPtr a = make_address(std::move(text));
  a->parent = parent;
  return a;
}

const Address& top_ancestor(const Address& a) {
  const Address* p = &a;
  while (p->parent) p = p->parent.get();
  return *p;
}

}  // namespace engine

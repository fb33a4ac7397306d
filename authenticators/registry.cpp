// authenticators/registry.cpp — the family registry and the Authenticator base class (see
// authenticator.h).
#include <cstdio>
#include <cstdlib>
#include <map>

#include "authenticators/authenticator.h"
#include "util/strings.h"

namespace authenticators {
namespace {

using engine::config::DriverKind;

// Filled during static initialisation, read-only afterwards.
std::map<std::string_view, DriverDescriptor>& registry() {
  static std::map<std::string_view, DriverDescriptor> r;
  return r;
}

}  // namespace

Authenticator::Authenticator(const engine::config::Instance& inst)
    : opts_(DriverKind::Authenticator, inst) {}

std::string Authenticator::public_name() const {
  const engine::config::Setting* p = opts_.setting("public_name");
  return util::to_upper(p ? p->value : name());
}

std::unique_ptr<ServerDialogue> Authenticator::server_start(lang::EvalContext&) const {
  return nullptr;
}

ClientResult Authenticator::client_authenticate(ClientChannel&, lang::EvalContext&) const {
  return {ClientOutcome::Error, name() + " authenticator has no client side"};
}

AuthenticatorRegistrar::AuthenticatorRegistrar(const DriverDescriptor& d) {
  engine::config::register_driver({DriverKind::Authenticator, d.name, d.options});
  if (!registry().emplace(d.name, d).second) {
    std::fprintf(stderr, "facteur: authenticator %.*s registered twice\n",
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
}

const DriverDescriptor* find_driver(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<std::string_view> driver_names() {
  std::vector<std::string_view> out;
  for (const auto& [name, d] : registry()) out.push_back(name);
  return out;
}

std::unique_ptr<Authenticator> make_authenticator(const engine::config::Instance& inst) {
  const DriverDescriptor* d = find_driver(inst.driver);
  return d ? d->make(inst) : nullptr;
}

std::vector<std::unique_ptr<Authenticator>> make_authenticators(const engine::config::Config& c) {
  std::vector<std::unique_ptr<Authenticator>> out;
  for (const auto& inst : c.authenticators) {
    if (auto a = make_authenticator(inst)) out.push_back(std::move(a));
  }
  return out;
}

}  // namespace authenticators

#include "routers/router.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace routers {
namespace {

// Filled during static initialisation only, read afterwards: no lock needed.
std::map<std::string_view, RouterDescriptor>& registry() {
  static std::map<std::string_view, RouterDescriptor> r;
  return r;
}

}  // namespace

std::string_view router_result_name(RouterResult r) {
  switch (r) {
    case RouterResult::Accept:
      return "accept";
    case RouterResult::Decline:
      return "decline";
    case RouterResult::Pass:
      return "pass";
    case RouterResult::Defer:
      return "defer";
    case RouterResult::Fail:
      return "fail";
    case RouterResult::Discard:
      return "discard";
    case RouterResult::Rerouted:
      return "rerouted";
  }
  return "?";
}

void register_router(const RouterDescriptor& d) {
  if (!registry().emplace(d.name, d).second) {
    std::fprintf(stderr, "facteur: router driver %.*s registered twice\n",
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
  engine::config::register_driver({engine::config::DriverKind::Router, d.name, d.options});
}

const RouterDescriptor* find_router(std::string_view name) {
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : &it->second;
}

std::vector<std::string_view> router_names() {
  std::vector<std::string_view> out;
  for (const auto& [name, d] : registry()) out.push_back(name);
  return out;
}

}  // namespace routers

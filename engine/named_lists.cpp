// engine/named_lists.cpp — see named_lists.h.
#include "engine/named_lists.h"

namespace engine {

ConfigNamedLists::ConfigNamedLists(const config::Config& cfg) {
  lists_.reserve(cfg.lists.size());
  for (const auto& l : cfg.lists) lists_.push_back({l.kind, l.name, l.value});
}

const lang::NamedList* ConfigNamedLists::find(std::string_view name) const {
  for (const auto& l : lists_) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

}  // namespace engine

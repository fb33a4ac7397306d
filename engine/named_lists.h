// engine/named_lists.h — the configuration's named lists (domainlist, hostlist, addresslist,
// localpartlist; spec 10.6) offered to the expansion language as lang::NamedLists.
//
// Contract: the adapter copies the lists of a Config when built; find() returns the list of
// that name (the first one defined, whatever its type) or null. It never fails.
#pragma once

#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "lang/context.h"

namespace engine {

class ConfigNamedLists : public lang::NamedLists {
 public:
  explicit ConfigNamedLists(const config::Config& cfg);
  const lang::NamedList* find(std::string_view name) const override;

 private:
  std::vector<lang::NamedList> lists_;
};

}  // namespace engine

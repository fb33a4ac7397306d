#include "lang/registry.h"

#include <cstdio>
#include <cstdlib>

#include "lang/name_table.h"

namespace lang {
namespace {

template <class Def>
NameTable<Def>& table() {
  static NameTable<Def> t;
  return t;
}

template <class Def>
void add(const Def& d, const char* what) {
  if (!table<Def>().add(d)) {
    std::fprintf(stderr, "facteur: duplicate expansion %s \"%.*s\"\n", what,
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
}

template <class Def>
const Def* find(std::string_view name) {
  return table<Def>().find(name);
}

template <class Def>
std::vector<std::string_view> names() {
  return table<Def>().names();
}

}  // namespace

void register_operator(const OperatorDef& d) { add(d, "operator"); }
void register_item(const ItemDef& d) { add(d, "item"); }
void register_condition(const ConditionDef& d) { add(d, "condition"); }
const OperatorDef* find_operator(std::string_view n) { return find<OperatorDef>(n); }
const ItemDef* find_item(std::string_view n) { return find<ItemDef>(n); }
const ConditionDef* find_condition(std::string_view n) { return find<ConditionDef>(n); }
std::vector<std::string_view> operator_names() { return names<OperatorDef>(); }
std::vector<std::string_view> item_names() { return names<ItemDef>(); }
std::vector<std::string_view> condition_names() { return names<ConditionDef>(); }

}  // namespace lang

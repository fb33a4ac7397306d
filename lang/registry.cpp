#include "lang/registry.h"

#include <cstdio>
#include <cstdlib>
#include <map>

namespace lang {
namespace {

template <class Def>
std::map<std::string_view, Def, std::less<>>& table() {
  static std::map<std::string_view, Def, std::less<>> t;
  return t;
}

template <class Def>
void add(const Def& d, const char* what) {
  auto [it, inserted] = table<Def>().emplace(d.name, d);
  if (!inserted) {
    std::fprintf(stderr, "facteur: duplicate expansion %s \"%.*s\"\n", what,
                 static_cast<int>(d.name.size()), d.name.data());
    std::abort();
  }
}

template <class Def>
const Def* find(std::string_view name) {
  auto& t = table<Def>();
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

template <class Def>
std::vector<std::string_view> names() {
  std::vector<std::string_view> v;
  for (auto& [k, d] : table<Def>()) v.push_back(k);
  return v;
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

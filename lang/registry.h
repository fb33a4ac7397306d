// lang/registry.h — name tables for expansion items, operators and conditions.
//
// Each item/operator/condition file ends with a registrar object, so adding one touches only
// its file and its test. Registration happens during static initialisation; a duplicate name
// aborts start-up. Lookups are registered the same way (lang/lookup.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/ast.h"
#include "lang/status.h"

namespace lang {

class Parser;

// ---- Operators: ${name:arg}, ${name_suffix:arg} ----
// Suffix forms: length_3, substr_1_2, hash_3_5, sha2_256 (numbers), quote_sqlite, listnamed_d
// (text). The parser splits the name at the first underscore when the full name is unknown.
enum class SuffixKind : unsigned char {
  None,     // no suffix allowed
  Numbers,  // _N, _N_M (digits, optionally a leading '-'): Exim's "non-digit after underscore"
  Text,     // any text after the underscore
};
struct OpSuffix {
  bool present = false;
  std::vector<long> nums;
  std::string text;
};
using OperatorFn = Status (*)(EvalContext& ctx, std::string_view arg, const OpSuffix& suffix,
                              std::string& out);
struct OperatorDef {
  std::string_view name;
  OperatorFn fn;
  SuffixKind suffix = SuffixKind::None;
};

// ---- Items: ${name{...}...} ----
// The parse function is called with the parser just after the item name (white space, a ','
// option list or '{' may follow). It must consume everything up to and including the '}'
// that closes the item, and set `out`.
using ItemParseFn = Status (*)(Parser& p, std::string_view name, NodePtr& out);
struct ItemDef {
  std::string_view name;
  ItemParseFn parse;
};

// ---- Conditions: ${if name{...}...} ----
// Called after the condition name (and after a ':' for def:). Consumes the condition's
// arguments only.
using CondParseFn = Status (*)(Parser& p, std::string_view name, CondPtr& out);
struct ConditionDef {
  std::string_view name;
  CondParseFn parse;
};

const OperatorDef* find_operator(std::string_view name);
const ItemDef* find_item(std::string_view name);
const ConditionDef* find_condition(std::string_view name);
std::vector<std::string_view> operator_names();
std::vector<std::string_view> item_names();
std::vector<std::string_view> condition_names();

void register_operator(const OperatorDef& d);
void register_item(const ItemDef& d);
void register_condition(const ConditionDef& d);

struct OperatorRegistrar {
  explicit OperatorRegistrar(std::initializer_list<OperatorDef> defs) {
    for (const auto& d : defs) register_operator(d);
  }
};
struct ItemRegistrar {
  explicit ItemRegistrar(std::initializer_list<ItemDef> defs) {
    for (const auto& d : defs) register_item(d);
  }
};
struct ConditionRegistrar {
  explicit ConditionRegistrar(std::initializer_list<ConditionDef> defs) {
    for (const auto& d : defs) register_condition(d);
  }
};

}  // namespace lang

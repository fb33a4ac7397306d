// lang/nodes.h — the core node types: literal text, variables, operator applications.
#pragma once

#include <string>

#include "lang/ast.h"
#include "lang/registry.h"
#include "lang/variables.h"

namespace lang {

class LiteralNode : public Node {
 public:
  explicit LiteralNode(std::string t) : text(std::move(t)) {}
  Status eval(EvalContext&, std::string& out) const override {
    out += text;
    return Status::ok();
  }
  const std::string* literal() const override { return &text; }
  std::string text;
};

class VariableNode : public Node {
 public:
  explicit VariableNode(VarRef r) : ref(std::move(r)) {}
  Status eval(EvalContext& ctx, std::string& out) const override;
  VarRef ref;
};

class OperatorNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override;
  const OperatorDef* def = nullptr;
  OpSuffix suffix;
  Template arg;
};

}  // namespace lang

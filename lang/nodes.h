// lang/nodes.h — the core node types: literal text, variables, operator applications.
#pragma once

#include <string>

#include "lang/ast.h"
#include "lang/registry.h"
#include "lang/variables.h"

namespace lang {

// Plain text: a view of the source when the text is written there as it is, else (after
// escapes) a copy of its own.
class LiteralNode : public Node {
 public:
  explicit LiteralNode(std::string_view source_text) : text(source_text) {}
  explicit LiteralNode(std::string t) : owned(std::move(t)), text(owned) {}
  LiteralNode(const LiteralNode&) = delete;
  LiteralNode& operator=(const LiteralNode&) = delete;
  Status eval(EvalContext&, std::string& out) const override {
    out.append(text);
    return Status::ok();
  }
  std::optional<std::string_view> literal() const override { return text; }

 private:
  std::string owned;

 public:
  std::string_view text;
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

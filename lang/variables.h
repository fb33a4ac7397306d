// lang/variables.h — the catalogue of variable names and how a reference is resolved.
//
// Names are resolved when a string is parsed: an unknown name is a parse error (as in Exim,
// even in a branch that is never taken). Language variables ($value, $item, $0.., $runrc,
// $acl_arg*, $acl_c*/$acl_m*) are read from EvalContext; the others from its VariableSource.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lang/status.h"

namespace lang {

class EvalContext;

enum class VarKind : unsigned char {
  External,  // asked from ctx.vars
  Value,     // $value
  Item,      // $item
  Capture,   // $0 .. $N
  RunRc,     // $runrc
  AclNarg,   // $acl_narg
  AclArg,    // $acl_arg1 .. $acl_arg9
  AclVar,    // $acl_c0, $acl_m_name ...
  Header,    // $h_name: and friends
};

class Template;

struct VarRef {
  VarKind kind = VarKind::External;
  std::string name;   // variable name; for Header, the header name
  std::string hkind;  // for Header: "h", "rh", "bh", "lh"
  int index = 0;      // Capture and AclArg
};

// Resolves `name` (as read after '$', without header part). Error: Exim's message.
Status variable_resolve(std::string_view name, VarRef& out);
// Returns true when `name` is a header prefix ("h", "header", "rh", "rheader", "bh", "bheader",
// "lh", "lheader") and sets the canonical kind.
bool variable_header_prefix(std::string_view name, std::string& hkind);
// Reads a variable's value. Returns false when it is unset (expands to "").
bool variable_get(EvalContext& ctx, const VarRef& r, std::string& out);
// True when `name` is a known external variable.
bool variable_known(std::string_view name);
// Variables that hold what the client sent (Exim's tainted values: addresses, local parts,
// domains, headers, the HELO name, the body, AUTH data...).
bool variable_is_client_data(const VarRef& r);
// The first such variable written straight into `t` (not inside an item, operator,
// condition or lookup), its offset in *pos; null when there is none.
const VarRef* direct_client_data(const Template& t, size_t* pos = nullptr);
// Exim's taint, as far as facteur follows it: `t` writes client data straight into its
// result and that variable is set (not empty) in `ctx`. Used where Exim 4.94+ refuses
// tainted values: lookup file names, and the file and directory names of transports and
// redirect routers (T-EXP-3).
bool direct_client_data_set(EvalContext& ctx, const Template& t);
// How the variable is written: "$local_part", "$h_subject:".
std::string variable_spelling(const VarRef& r);
// The catalogue of external variable names, sorted.
std::vector<std::string_view> variable_names();

}  // namespace lang

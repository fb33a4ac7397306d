// engine/route_vars.h — the expansion variables of the address being routed ($local_part,
// $domain, $local_part_prefix, $address_data, $home, $r_* ...), layered over the variables of
// whoever asked for the routing (an SMTP session, -bt, a delivery process).
//
// Exim sets these as globals (deliver_set_expansions); here they live in a RouteVariables that
// the chain installs as the EvalContext's variable source while a router runs and removes
// afterwards (RouteVariables::Scope). A name set here hides the base's value; a name
// `hide()`n is unset even if the base has it; anything else (and every header) comes from the
// base. Never fails.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "engine/address.h"
#include "lang/context.h"

namespace engine {

class RouteVariables : public lang::VariableSource {
 public:
  explicit RouteVariables(const lang::VariableSource* base) : base_(base) {}
  bool get(std::string_view name, std::string& out) const override;
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;

  void set(std::string_view name, std::string value);
  void hide(std::string_view name);   // unset, whatever the base says
  void reset(std::string_view name);  // back to the base's value
  // The variables derived from an address (Exim's deliver_set_expansions): $local_part,
  // $domain, affixes, $original_*, $parent_*, $address_data, $domain_data,
  // $local_part_data, $r_*, $address_file / $address_pipe.
  void set_address(const Address& a);
  // The envelope sender as routing sees it ("" while verifying a sender).
  void set_sender(std::string_view sender);

  // Installs `v` as ctx.vars until the scope ends.
  class Scope {
   public:
    Scope(lang::EvalContext& ctx, RouteVariables& v) : ctx_(ctx), saved_(ctx.vars) {
      ctx.vars = &v;
    }
    ~Scope() { ctx_.vars = saved_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    lang::EvalContext& ctx_;
    const lang::VariableSource* saved_;
  };

 private:
  const lang::VariableSource* base_;
  struct Value {
    std::string text;
    bool set = true;
  };
  std::map<std::string, Value, std::less<>> values_;
};

}  // namespace engine

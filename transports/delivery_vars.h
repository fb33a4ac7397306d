// transports/delivery_vars.h — the expansion variables of a delivery and helpers to expand a
// transport's options with them (spec 23.4, "Expansion variables derived from the address").
//
// DeliveryVariables layers the address variables ($local_part, $domain, $home,
// $address_data, $address_file, $original_*, $parent_*, $router_name, $transport_name,
// $return_path ...) over the caller's source (message, session and configuration variables).
// With one address every address variable is set; with a batch, $domain only when all the
// addresses share it and the local-part variables never (spec 23.4). Transports add their own
// ($host, $host_address, $message_size after writing, $inode ...) with set().
//
// Expander owns the EvalContext of one delivery. expand() turns a Program's three outcomes
// (lang/status.h) into what transports need: a value, a forced failure, or an error text.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lang/context.h"
#include "lang/expand.h"
#include "transports/transport.h"

namespace transports {

class DeliveryVariables : public lang::VariableSource {
 public:
  DeliveryVariables(const lang::VariableSource* base, const Delivery& d,
                    std::string_view transport_name);
  bool get(std::string_view name, std::string& out) const override;
  bool header(std::string_view kind, std::string_view name, std::string& out) const override;
  void set(std::string_view name, std::string value) { own_[std::string(name)] = std::move(value); }
  void unset(std::string_view name);

 private:
  void set_address(const DeliveryAddress& a);
  const lang::VariableSource* base_;
  std::map<std::string, std::string, std::less<>> own_;
};

enum class ExpandOutcome : unsigned char { Ok, Forced, Error };

class Expander {
 public:
  Expander(const TransportServices& s, const Delivery& d, std::string_view transport_name);
  Expander(const Expander&) = delete;
  Expander& operator=(const Expander&) = delete;

  // Evaluates `p` into `out`. On Error, `error` gets Exim's message.
  ExpandOutcome expand(const lang::Program& p, std::string& out, std::string& error);
  // Compiles and evaluates one-off text (file contents with file_expand).
  ExpandOutcome expand_text(std::string_view text, std::string& out, std::string& error);
  // Expands an option for its value: unset → `dflt`; forced failure and errors are reported
  // through the return value with "failed to expand \"OPT\" in TRANSPORT transport: MSG".
  ExpandOutcome option(const lang::Program* p, std::string_view option_name, std::string& out,
                       std::string& error, std::string_view dflt = {});

  DeliveryVariables& vars() { return vars_; }
  lang::EvalContext& context() { return ctx_; }
  const std::string& transport_name() const { return transport_; }

 private:
  std::string transport_;
  DeliveryVariables vars_;
  lang::EvalContext ctx_;
};

}  // namespace transports

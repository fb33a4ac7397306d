// engine/variables.h — the engine's values of expansion variables: configuration-derived
// ones ($primary_hostname, $qualify_domain, $config_file ...), times ($tod_*), the process
// ($pid), and the message/session ones, which later stages set through `set()`.
#pragma once

#include <map>
#include <string>

#include "engine/config/config.h"
#include "lang/context.h"

namespace engine {

class Variables : public lang::VariableSource {
 public:
  explicit Variables(const config::Config* cfg = nullptr);
  bool get(std::string_view name, std::string& out) const override;
  // Sets a session or message variable ("sender_host_address", "message_id" ...).
  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  void unset(std::string_view name);

 private:
  bool computed(std::string_view name, std::string& out) const;
  const config::Config* cfg_;
  // Fixed for the process once the configuration is read; computed once.
  std::string primary_hostname_, qualify_domain_, qualify_recipient_;
  std::map<std::string, std::string, std::less<>> values_;
};

// Value of a main-section option as the config gives it, or `dflt`.
std::string main_option(const config::Config* cfg, std::string_view name, std::string dflt = "");
// primary_hostname as configured or from uname().
std::string primary_hostname(const config::Config* cfg);

}  // namespace engine

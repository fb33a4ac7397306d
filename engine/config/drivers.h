// engine/config/drivers.h — the driver sections of the configuration (routers, transports,
// authenticators): which drivers exist, their options, and typed access to an instance's
// settings (spec chapter 6, "Driver instance definitions"; the generic options of chapters
// "Generic options for routers", "Generic options for transports", "SMTP authentication").
//
// Driver families register each driver's name and private option table here (one
// register_driver() call from the family's registrar, at static initialisation), so the
// configuration reader can check "driver =" and every option of an instance, compile only the
// options that are string-expanded, and say "did you mean" for a misspelt one. A name
// registered twice aborts at start-up.
//
// A standard Exim driver that no family has registered yet is still accepted by the reader
// (its options are all taken as expanded strings, unchecked); a name that is neither is
// "cannot find router driver".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/main_options.h"

namespace lang {
class EvalContext;
class Program;
class Status;
}  // namespace lang

namespace engine::config {

struct Instance;
struct Setting;

enum class DriverKind : unsigned char { Router, Transport, Authenticator };

std::string_view driver_kind_name(DriverKind k);  // "router", "transport", "authenticator"
// Exim's standard driver names for a kind (what "driver =" may name).
std::span<const std::string_view> known_drivers(DriverKind k);

// An option of a driver: the same shape as a main option (name, type, expanded, default).
using DriverOption = MainOption;

struct DriverInfo {
  DriverKind kind;
  std::string_view name;
  std::span<const DriverOption> options;  // the driver's private options, sorted by name
};

// Records a driver; aborts when the kind already has one of that name or its option table
// is not sorted (a programming error, found at start-up).
void register_driver(const DriverInfo& info);
const DriverInfo* find_driver(DriverKind k, std::string_view name);
// The registered drivers of a kind, sorted by name.
std::vector<const DriverInfo*> registered_drivers(DriverKind k);

// The generic options of a kind, sorted by name.
std::span<const DriverOption> generic_options(DriverKind k);
// A generic option, else a private option of `driver` (null: not registered); null when
// neither has `name`.
const DriverOption* find_driver_option(DriverKind k, const DriverInfo* driver,
                                       std::string_view name);
// "; did you mean \"x\"?" among the generic and private option names, or "".
std::string suggest_driver_option(DriverKind k, const DriverInfo* driver, std::string_view name);

// Typed read access to one instance's options: the configured value, else the table's
// default. Unknown names give false / 0 / "" / null. A value that does not parse as its type
// (the reader has already rejected those) also gives the zero value.
class InstanceOptions {
 public:
  InstanceOptions(DriverKind kind, const Instance& inst);

  const Instance& instance() const { return inst_; }
  const Setting* setting(std::string_view name) const;  // null when not set in the config
  bool is_set(std::string_view name) const { return setting(name) != nullptr; }

  bool get_bool(std::string_view name) const;
  int64_t get_int(std::string_view name) const;         // Int (K/M suffixes), Fixed in thousandths
  int64_t get_time(std::string_view name) const;        // seconds
  std::string get_string(std::string_view name) const;  // raw value (unquoted) or default
  // The compiled expansion of an expanded option that is set; null otherwise.
  const lang::Program* program(std::string_view name) const;
  // The option expanded in `ctx` into `out`: its compiled program when set, else its
  // default (compiled on the spot when it holds an expansion); an option that is not
  // string-expanded gives its value as it is.
  lang::Status expand(std::string_view name, lang::EvalContext& ctx, std::string& out) const;

 private:
  const DriverOption* option(std::string_view name) const;
  std::string value_of(std::string_view name) const;

  DriverKind kind_;
  const Instance& inst_;
  const DriverInfo* driver_;
};

}  // namespace engine::config

// engine/config/drivers.h — the driver sections of the configuration (routers, transports,
// authenticators) and the driver names a "driver =" option may give.
//
// Until the driver registries exist, the known names are Exim's standard drivers; an instance
// naming another driver is a configuration error ("cannot find router driver").
#pragma once

#include <span>
#include <string_view>

namespace engine::config {

enum class DriverKind : unsigned char { Router, Transport, Authenticator };

std::string_view driver_kind_name(DriverKind k);  // "router", "transport", "authenticator"
std::span<const std::string_view> known_drivers(DriverKind k);

}  // namespace engine::config

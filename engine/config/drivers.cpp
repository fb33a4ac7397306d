#include "engine/config/drivers.h"

namespace engine::config {
namespace {

constexpr std::string_view kRouters[] = {"accept",      "dnslookup",    "ipliteral", "iplookup",
                                         "manualroute", "queryprogram", "redirect"};
constexpr std::string_view kTransports[] = {"appendfile", "autoreply", "lmtp", "pipe", "smtp"};
constexpr std::string_view kAuthenticators[] = {"cram_md5",  "cyrus_sasl", "dovecot",
                                                "external",  "gsasl",      "heimdal_gssapi",
                                                "plaintext", "spa",        "tls"};

}  // namespace

std::string_view driver_kind_name(DriverKind k) {
  switch (k) {
    case DriverKind::Router:
      return "router";
    case DriverKind::Transport:
      return "transport";
    case DriverKind::Authenticator:
      return "authenticator";
  }
  return "driver";
}

std::span<const std::string_view> known_drivers(DriverKind k) {
  switch (k) {
    case DriverKind::Router:
      return kRouters;
    case DriverKind::Transport:
      return kTransports;
    case DriverKind::Authenticator:
      return kAuthenticators;
  }
  return {};
}

}  // namespace engine::config

// engine/config/split_macros.h — the configuration macros the assembler generates from
// update-facteur.conf.conf, with the behaviour documented in Debian's update-exim4.conf(8):
//
//   dc_local_interfaces       MAIN_LOCAL_INTERFACES (only when not empty)
//   dc_minimaldns = true      DC_minimaldns = 1 and MAIN_HARDCODE_PRIMARY_HOSTNAME (the FQDN)
//   dc_hide_mailname = true   HIDE_MAILNAME = 1, for smarthost and satellite with a readhost
//   (the package version)     MAIN_PACKAGE_VERSION
//   dc_other_hostnames        MAIN_LOCAL_DOMAINS = @ : localhost : <the hostnames>
//   dc_relay_domains          MAIN_RELAY_TO_DOMAINS
//   /etc/mailname             ETC_MAILNAME (its first word)
//   dc_localdelivery          LOCAL_DELIVERY (mail_spool when unset; maildir_home ...)
//   dc_relay_nets             MAIN_RELAY_NETS = <the nets> : 127.0.0.1 : ::1
//   dc_readhost, dc_smarthost DCreadhost, DCsmarthost
//   dc_eximconfig_configtype  DC_eximconfig_configtype and DCconfig_<type> = 1
//   NAME=... (upper case)     NAME, with a warning (undocumented, as Debian's tool does)
//
// dc_mailname_in_oh, dc_use_split_config, ue4c_keepcomments and CFILEMODE set no macro. Values
// are lower-cased with their white space collapsed; a character outside Debian's set
// [-0-9a-z/.!*@_~:;< []] becomes '_' with a warning. Lists accept ';' or ':' as separator
// (or an explicit "<X" one) and come out as Exim colon lists with colons in items doubled, so a
// macro can be used inside a longer list. For configtype none (or an unknown type, or unset)
// no macro is generated at all, as in Debian.
//
// Nothing fails: problems are warnings in Diagnostics (file:line of the setting).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/split_settings.h"

namespace engine::config {

struct GeneratedMacro {
  std::string name;
  std::string value;
  std::string file;  // the file the value comes from, "" when generated
  int line = 0;
};

struct MacroInputs {
  std::string version;                // MAIN_PACKAGE_VERSION
  std::string mailname_file;          // "/etc/mailname"
  std::string mailname_text;          // its contents ("" when it does not exist)
  std::function<std::string()> fqdn;  // like `hostname --fqdn`; asked only for dc_minimaldns
};

std::vector<GeneratedMacro> split_macros(const SplitSettings& settings, const MacroInputs& in,
                                         Diagnostics& diag);

// The setting names the assembler knows (for "unknown setting" warnings).
bool is_known_split_setting(std::string_view name);

// The items of a settings list: "<X" selects separator X; else ';' when there is one; else
// ':' with "::" standing for a colon in an item. Items trimmed, empty ones dropped.
std::vector<std::string> split_setting_list(std::string_view value);
// "a : b : c" with colons inside items doubled.
std::string exim_colon_list(const std::vector<std::string>& items);
// The first word of /etc/mailname, lower-cased ([-a-z0-9@.] characters), "" if none.
std::string mailname_first_word(std::string_view text);

}  // namespace engine::config

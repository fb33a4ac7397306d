#include "engine/config/split_macros.h"

#include <doctest/doctest.h>

#include <map>

using namespace engine::config;

namespace {

struct Generated {
  std::vector<GeneratedMacro> list;
  Diagnostics diag;

  const GeneratedMacro* find(std::string_view name) const {
    for (const auto& m : list)
      if (m.name == name) return &m;
    return nullptr;
  }
  std::string value(std::string_view name) const {
    const GeneratedMacro* m = find(name);
    return m ? m->value : "(unset)";
  }
};

Generated generate(std::string_view text, std::string fqdn = "mx.example.org",
                   std::string mailname = "example.org\n") {
  Generated g;
  SplitSettings s = parse_split_settings(text, "ue4cc", g.diag);
  MacroInputs in{"9.9", "/etc/mailname", std::move(mailname), [fqdn] { return fqdn; }};
  g.list = split_macros(s, in, g.diag);
  return g;
}

}  // namespace

TEST_SUITE("engine.config.split_macros") {
  TEST_CASE("split_setting_list: separators as Debian accepts them") {
    using V = std::vector<std::string>;
    CHECK(split_setting_list("a;b ; c") == V{"a", "b", "c"});
    CHECK(split_setting_list("a:b : c") == V{"a", "b", "c"});
    CHECK(split_setting_list("192.168.0.0/16;::1") == V{"192.168.0.0/16", "::1"});
    CHECK(split_setting_list("10.0.0.1 : ::::1") == V{"10.0.0.1", "::1"});
    CHECK(split_setting_list("<; ::1 ; fe80::/10") == V{"::1", "fe80::/10"});
    CHECK(split_setting_list("<, a, b") == V{"a", "b"});
    CHECK(split_setting_list(" ; a ;; b ; ") == V{"a", "b"});
    CHECK(split_setting_list("") == V{});
  }

  TEST_CASE("exim_colon_list doubles colons inside items") {
    CHECK(exim_colon_list({"a", "b"}) == "a : b");
    CHECK(exim_colon_list({"::1", "2001:db8::/32"}) == "::::1 : 2001::db8::::/32");
    CHECK(exim_colon_list({}) == "");
  }

  TEST_CASE("mailname_first_word") {
    CHECK(mailname_first_word("Mail.Example.ORG  # x\nother\n") == "mail.example.org");
    CHECK(mailname_first_word("") == "");
    CHECK(mailname_first_word(" leading") == "");
  }

  TEST_CASE("dc_eximconfig_configtype: each type, and none generates nothing") {
    for (const char* t : {"internet", "smarthost", "satellite", "local"}) {
      Generated g = generate(std::string("dc_eximconfig_configtype='") + t + "'\n");
      CHECK(g.value("DC_eximconfig_configtype") == t);
      CHECK(g.value(std::string("DCconfig_") + t) == "1");
      CHECK(g.find("DCconfig_" + std::string(t))->line == 1);
      CHECK(g.diag.warnings.empty());
    }
    CHECK(generate("dc_eximconfig_configtype='Internet'\n").value("DCconfig_internet") == "1");
    CHECK(generate("dc_eximconfig_configtype='none'\ndc_relay_nets='x'\n").list.empty());
    CHECK(generate("dc_relay_nets='x'\n").list.empty());  // unset: as none
    Generated bad = generate("dc_eximconfig_configtype='intranet'\n");
    CHECK(bad.list.empty());
    REQUIRE(bad.diag.warnings.size() == 1);
    CHECK(bad.diag.warnings[0].starts_with("ue4cc:1: dc_eximconfig_configtype: unknown type"));
  }

  TEST_CASE("dc_other_hostnames: MAIN_LOCAL_DOMAINS with @ and localhost first") {
    const char* type = "dc_eximconfig_configtype='internet'\n";
    CHECK(generate(std::string(type) + "dc_other_hostnames='A.example;b.example'\n")
              .value("MAIN_LOCAL_DOMAINS") == "@ : localhost : a.example : b.example");
    CHECK(generate(std::string(type) + "dc_other_hostnames='a.example:b.example:'\n")
              .value("MAIN_LOCAL_DOMAINS") == "@ : localhost : a.example : b.example");
    CHECK(generate(type).value("MAIN_LOCAL_DOMAINS") == "@ : localhost");
    Generated g = generate(std::string(type) + "\ndc_other_hostnames='x'\n");
    CHECK(g.find("MAIN_LOCAL_DOMAINS")->file == "ue4cc");
    CHECK(g.find("MAIN_LOCAL_DOMAINS")->line == 3);
  }

  TEST_CASE("dc_local_interfaces: MAIN_LOCAL_INTERFACES only when not empty") {
    const std::string type = "dc_eximconfig_configtype='local'\n";
    CHECK(
        generate(type + "dc_local_interfaces='127.0.0.1 ; ::1'\n").value("MAIN_LOCAL_INTERFACES") ==
        "127.0.0.1 : ::::1");
    CHECK(generate(type + "dc_local_interfaces='127.0.0.1:192.0.2.1'\n")
              .value("MAIN_LOCAL_INTERFACES") == "127.0.0.1 : 192.0.2.1");
    CHECK(generate(type + "dc_local_interfaces=''\n").find("MAIN_LOCAL_INTERFACES") == nullptr);
  }

  TEST_CASE("dc_relay_nets: MAIN_RELAY_NETS always includes the loopback addresses") {
    const std::string type = "dc_eximconfig_configtype='internet'\n";
    CHECK(generate(type + "dc_relay_nets='192.168.0.0/16;2001:db8::/32'\n")
              .value("MAIN_RELAY_NETS") == "192.168.0.0/16 : 2001::db8::::/32 : 127.0.0.1 : ::::1");
    CHECK(generate(type + "dc_relay_nets='10.0.0.0/8 : 127.0.0.1'\n").value("MAIN_RELAY_NETS") ==
          "10.0.0.0/8 : 127.0.0.1 : ::::1");
    CHECK(generate(type).value("MAIN_RELAY_NETS") == "127.0.0.1 : ::::1");
  }

  TEST_CASE("dc_relay_domains: MAIN_RELAY_TO_DOMAINS") {
    const std::string type = "dc_eximconfig_configtype='internet'\n";
    CHECK(generate(type + "dc_relay_domains='a.example;B.example'\n")
              .value("MAIN_RELAY_TO_DOMAINS") == "a.example : b.example");
    CHECK(generate(type).value("MAIN_RELAY_TO_DOMAINS") == "");
  }

  TEST_CASE("dc_smarthost: DCsmarthost with ';' turned into ':', ports kept") {
    const std::string type = "dc_eximconfig_configtype='smarthost'\n";
    CHECK(generate(type + "dc_smarthost='Smart.example::587;[2001::db8::1]::25'\n")
              .value("DCsmarthost") == "smart.example::587:[2001::db8::1]::25");
    CHECK(generate(type + "dc_smarthost='a.example'\n").value("DCsmarthost") == "a.example");
  }

  TEST_CASE("dc_readhost and dc_hide_mailname: HIDE_MAILNAME for smarthost/satellite only") {
    CHECK(generate("dc_eximconfig_configtype='satellite'\ndc_readhost='Example.org'\n"
                   "dc_hide_mailname='true'\n")
              .value("HIDE_MAILNAME") == "1");
    Generated g = generate(
        "dc_eximconfig_configtype='smarthost'\ndc_readhost='example.org'\n"
        "dc_hide_mailname='true'\n");
    CHECK(g.value("DCreadhost") == "example.org");
    CHECK(g.find("HIDE_MAILNAME")->line == 3);
    CHECK(generate("dc_eximconfig_configtype='internet'\ndc_readhost='example.org'\n"
                   "dc_hide_mailname='true'\n")
              .find("HIDE_MAILNAME") == nullptr);
    CHECK(generate("dc_eximconfig_configtype='smarthost'\ndc_hide_mailname='true'\n")
              .find("HIDE_MAILNAME") == nullptr);
    CHECK(generate("dc_eximconfig_configtype='smarthost'\ndc_readhost='e.org'\n"
                   "dc_hide_mailname='false'\n")
              .find("HIDE_MAILNAME") == nullptr);
    Generated odd = generate(
        "dc_eximconfig_configtype='smarthost'\ndc_readhost='e.org'\ndc_hide_mailname='maybe'\n");
    CHECK(odd.find("HIDE_MAILNAME") == nullptr);
    REQUIRE(odd.diag.warnings.size() == 1);
    CHECK(odd.diag.warnings[0] ==
          "ue4cc:3: dc_hide_mailname: \"maybe\" is not true or false; taken as false");
  }

  TEST_CASE("dc_localdelivery: LOCAL_DELIVERY, mail_spool by default") {
    const std::string type = "dc_eximconfig_configtype='local'\n";
    CHECK(generate(type).value("LOCAL_DELIVERY") == "mail_spool");
    CHECK(generate(type + "dc_localdelivery='maildir_home'\n").value("LOCAL_DELIVERY") ==
          "maildir_home");
  }

  TEST_CASE("dc_minimaldns: DC_minimaldns and the FQDN as MAIN_HARDCODE_PRIMARY_HOSTNAME") {
    const std::string text = "dc_eximconfig_configtype='internet'\ndc_minimaldns='true'\n";
    Generated g = generate(text, "MX.Example.ORG");
    CHECK(g.value("DC_minimaldns") == "1");
    CHECK(g.value("MAIN_HARDCODE_PRIMARY_HOSTNAME") == "mx.example.org");
    Generated unqualified = generate(text, "mx");
    CHECK(unqualified.value("DC_minimaldns") == "1");
    CHECK(unqualified.find("MAIN_HARDCODE_PRIMARY_HOSTNAME") == nullptr);
    REQUIRE(unqualified.diag.warnings.size() == 1);
    CHECK(unqualified.diag.warnings[0].starts_with("ue4cc:2: dc_minimaldns: the host name \"mx\""));
    CHECK(generate("dc_eximconfig_configtype='internet'\ndc_minimaldns='false'\n")
              .find("DC_minimaldns") == nullptr);
  }

  TEST_CASE("ETC_MAILNAME, MAIN_PACKAGE_VERSION; settings that set no macro") {
    Generated g = generate(
        "dc_eximconfig_configtype='local'\ndc_mailname_in_oh='true'\n"
        "dc_use_split_config='true'\nue4c_keepcomments='false'\nCFILEMODE='640'\n");
    CHECK(g.value("ETC_MAILNAME") == "example.org");
    CHECK(g.find("ETC_MAILNAME")->file == "/etc/mailname");
    CHECK(g.value("MAIN_PACKAGE_VERSION") == "9.9");
    CHECK(g.find("MAIN_PACKAGE_VERSION")->line == 0);
    std::vector<std::string> names;
    for (const auto& m : g.list) names.push_back(m.name);
    CHECK(names == std::vector<std::string>{
                       "MAIN_PACKAGE_VERSION", "MAIN_LOCAL_DOMAINS", "MAIN_RELAY_TO_DOMAINS",
                       "ETC_MAILNAME", "LOCAL_DELIVERY", "MAIN_RELAY_NETS", "DCreadhost",
                       "DCsmarthost", "DC_eximconfig_configtype", "DCconfig_local"});
    CHECK(g.diag.warnings.empty());
    Generated no_mailname = generate("dc_eximconfig_configtype='local'\n", "x.y", "");
    CHECK(no_mailname.value("ETC_MAILNAME") == "");
    CHECK(no_mailname.find("ETC_MAILNAME")->line == 0);
  }

  TEST_CASE("values: white space collapsed, lower case, odd characters replaced") {
    Generated g = generate(
        "dc_eximconfig_configtype='internet'\ndc_readhost='  A\tB  '\n"
        "dc_relay_domains='x$y.example'\n");
    CHECK(g.value("DCreadhost") == "a b");
    CHECK(g.value("MAIN_RELAY_TO_DOMAINS") == "x_y.example");
    bool warned = false;
    for (const auto& w : g.diag.warnings)
      warned = warned || (w.starts_with("ue4cc:3: dc_relay_domains: characters") &&
                          w.ends_with("\"x_y.example\""));
    CHECK(warned);
  }

  TEST_CASE("upper-case names become macros; unknown names and lookups are warned about") {
    Generated g = generate(
        "dc_eximconfig_configtype='internet'\nMAIN_TLS_ENABLE='Yes'\n"
        "dc_relay_net='10.0.0.0/8'\ndc_relay_domains='lsearch;/etc/relay'\n");
    CHECK(g.value("MAIN_TLS_ENABLE") == "Yes");
    CHECK(g.find("MAIN_TLS_ENABLE")->line == 2);
    CHECK(g.list.back().name == "MAIN_TLS_ENABLE");
    std::map<std::string, bool> seen;
    for (const auto& w : g.diag.warnings) seen[w.substr(0, w.find(' '))] = true;
    CHECK(seen.count("ue4cc:2:"));
    CHECK(seen.count("ue4cc:3:"));
    CHECK(seen.count("ue4cc:4:"));
    bool hint = false;
    for (const auto& w : g.diag.warnings)
      hint = hint || w == "ue4cc:3: unknown setting \"dc_relay_net\" ignored; did you mean "
                          "\"dc_relay_nets\"?";
    CHECK(hint);
  }

  TEST_CASE("an upper-case name containing an earlier macro's name is warned about") {
    Generated g = generate(
        "dc_eximconfig_configtype='smarthost'\ndc_readhost='e.org'\nDCreadhost_TLS='yes'\n");
    bool warned = false;
    for (const auto& w : g.diag.warnings)
      warned = warned || w == "ue4cc:3: DCreadhost_TLS contains the name of the macro DCreadhost, "
                              "defined before it, so it is never defined; choose another name";
    CHECK(warned);
  }
}

// lang/lookups/servers.cpp — lookup types that Exim 4.96 (as Debian builds it) knows but that
// need a server, a library or a file format facteur does not carry: dbm, dbmjz, dbmnz, ldap,
// ldapdn, ldapm, mysql, nis, nis0, pgsql. They are registered so that their names parse
// and ${quote_<type>:...} works (spec 9.16 LDAP quoting, 9.22 SQL quoting); a lookup of
// these types fails with "lookup type "T" is not supported by facteur".
#include <cctype>
#include <cstdio>

#include "lang/lookup.h"

namespace lang {
namespace {

constexpr std::string_view kNames[] = {"dbm",   "dbmjz", "dbmnz", "ldap", "ldapdn",
                                       "ldapm", "mysql", "nis",   "nis0", "pgsql"};

// Opening fails, so a lookup of these types fails with this message alone.
template <size_t I>
Status unsupported_open(const std::string&, std::unique_ptr<LookupHandle>&) {
  return Status::error("lookup type \"" + std::string(kNames[I]) +
                       "\" is not supported by facteur");
}

LookupResult unsupported_find(EvalContext&, LookupHandle*, const std::string&, std::string_view,
                              const LookupOptions&) {
  return {};
}

// Backslash escapes shared by mysql and pgsql: \n \t \r \b, and \ before " and \.
bool sql_escape(char c, std::string& out) {
  switch (c) {
    case '\n':
      out += "\\n";
      return true;
    case '\t':
      out += "\\t";
      return true;
    case '\r':
      out += "\\r";
      return true;
    case '\b':
      out += "\\b";
      return true;
    case '"':
    case '\\':
      out += '\\';
      out += c;
      return true;
    default:
      return false;
  }
}

bool mysql_quote(std::string_view s, std::optional<std::string_view> opt, std::string& out) {
  if (opt) return false;
  for (char c : s) {
    if (c == '\'') {
      out += "\\'";
    } else if (!sql_escape(c, out)) {
      out += c;
    }
  }
  return true;
}

bool pgsql_quote(std::string_view s, std::optional<std::string_view> opt, std::string& out) {
  if (opt) return false;
  for (char c : s) {
    if (c == '\'') {
      out += "''";
    } else if (!sql_escape(c, out)) {
      out += c;
    }
  }
  return true;
}

// URL quoting of LDAP queries: all but letters, digits and !$'-._()*+ become %XX.
void url_quote(char c, std::string& out) {
  unsigned char u = static_cast<unsigned char>(c);
  if (std::isalnum(u) || std::string_view("!$'-._()*+").find(c) != std::string_view::npos) {
    out += c;
    return;
  }
  char buf[4];
  std::snprintf(buf, sizeof buf, "%%%02X", u);
  out += buf;
}

// Filter quoting (RFC 2254: * ( ) \ as \2A \28 \29 \5C), then URL quoting.
void ldap_filter_quote(std::string_view s, std::string& out) {
  for (char c : s) {
    static constexpr std::string_view kSpecial = "*()\\";
    if (kSpecial.find(c) != std::string_view::npos) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "\\%02X", static_cast<unsigned char>(c));
      for (char b : std::string_view(buf, 3)) url_quote(b, out);
    } else {
      url_quote(c, out);
    }
  }
}

// DN quoting (RFC 2253): \ before , + " \ < > ; before leading spaces and '#'s and before
// trailing spaces; then URL quoting.
void ldap_dn_quote(std::string_view s, std::string& out) {
  size_t lead = 0;
  while (lead < s.size() && (s[lead] == ' ' || s[lead] == '#')) ++lead;
  size_t trail = s.size();
  while (trail > lead && s[trail - 1] == ' ') --trail;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i < lead || i >= trail || std::string_view(",+\"\\<>;").find(c) != std::string_view::npos) {
      url_quote('\\', out);
    }
    url_quote(c, out);
  }
}

bool ldap_quote(std::string_view s, std::optional<std::string_view> opt, std::string& out) {
  if (!opt) {
    ldap_filter_quote(s, out);
    return true;
  }
  if (*opt != "dn") return false;
  ldap_dn_quote(s, out);
  return true;
}

const LookupRegistrar reg({
    {kNames[0], false, true, unsupported_open<0>, unsupported_find, nullptr},
    {kNames[1], false, true, unsupported_open<1>, unsupported_find, nullptr},
    {kNames[2], false, true, unsupported_open<2>, unsupported_find, nullptr},
    {kNames[3], true, false, unsupported_open<3>, unsupported_find, ldap_quote},
    {kNames[4], true, false, unsupported_open<4>, unsupported_find, ldap_quote},
    {kNames[5], true, false, unsupported_open<5>, unsupported_find, ldap_quote},
    {kNames[6], true, false, unsupported_open<6>, unsupported_find, mysql_quote},
    {kNames[7], false, true, unsupported_open<7>, unsupported_find, nullptr},
    {kNames[8], false, true, unsupported_open<8>, unsupported_find, nullptr},
    {kNames[9], true, false, unsupported_open<9>, unsupported_find, pgsql_quote},
});

}  // namespace
}  // namespace lang

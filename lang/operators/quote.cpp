// lang/operators/quote.cpp — ${quote:..}, ${quote_local_part:..}, ${quote_<lookup>:..} and
// ${rxquote:..} (spec 11.6, "Expansion operators").
//
// quote: a string made only of letters, digits, '_', '.' and '-' is left alone; anything else
// (and the empty string) is put in double quotes, with '\' and '"' backslashed and CR/LF
// written as \r and \n. quote_local_part quotes the same way, but only when the string is not
// a valid RFC 2822 dot-atom (letters, digits, the atext specials, dots not at either end).
// quote_<type>[_<opt>] hands the string to the lookup type's quoting function; an unknown type
// is an error ("unknown lookup type \"x\""). rxquote backslashes every non-alphanumeric byte.
#include <cctype>
#include <cstring>

#include "lang/lookup.h"
#include "lang/registry.h"

namespace lang {

// Until the lookup registry (lang/lookup.cpp) is linked in, no lookup type is known. This weak
// default is replaced by the registry's strong definition at link time.
[[gnu::weak]] const LookupDef* find_lookup(std::string_view) {
  return nullptr;
}

namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

void append_quoted(std::string_view a, std::string& out) {
  out += '"';
  for (char c : a) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
  }
  out += '"';
}

bool quote_needed(std::string_view a) {
  if (a.empty()) return true;
  for (char c : a) {
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') return true;
  }
  return false;
}

// RFC 2822 section 3.2.4: atext and dot-atom.
bool local_part_needs_quote(std::string_view a) {
  if (a.empty() || a.front() == '.' || a.back() == '.') return true;
  for (char c : a) {
    if (is_alnum(c) || c == '.') continue;
    if (c == '\0' || std::strchr("!#$%&'*+-/=?^_`{|}~", c) == nullptr) return true;
  }
  return false;
}

// ${quote_<type>:..}: the suffix names a lookup type, optionally followed by "_<option>".
Status quote_for_lookup(std::string_view a, std::string_view suffix, std::string& out) {
  size_t us = suffix.find('_');
  std::string_view type = suffix.substr(0, us);
  std::string_view opt = us == std::string_view::npos ? std::string_view() : suffix.substr(us + 1);
  const LookupDef* def = find_lookup(type);
  if (!def) return Status::error("unknown lookup type \"" + std::string(type) + "\"");
  if (def->quote) {
    out += def->quote(a, opt);
    return Status::ok();
  }
  if (!opt.empty()) {
    return Status::error("\"" + std::string(opt) + "\" unrecognized after \"${quote_" +
                         std::string(type) + "\"");
  }
  out += a;
  return Status::ok();
}

Status op_quote(EvalContext&, std::string_view a, const OpSuffix& suffix, std::string& out) {
  if (suffix.present) return quote_for_lookup(a, suffix.text, out);
  if (quote_needed(a)) {
    append_quoted(a, out);
  } else {
    out += a;
  }
  return Status::ok();
}

Status op_quote_local_part(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  if (local_part_needs_quote(a)) {
    append_quoted(a, out);
  } else {
    out += a;
  }
  return Status::ok();
}

Status op_rxquote(EvalContext&, std::string_view a, const OpSuffix&, std::string& out) {
  for (char c : a) {
    if (!is_alnum(c)) out += '\\';
    out += c;
  }
  return Status::ok();
}

const OperatorRegistrar reg({
    {"quote", op_quote, SuffixKind::Text},
    {"quote_local_part", op_quote_local_part},
    {"rxquote", op_rxquote},
});

}  // namespace
}  // namespace lang

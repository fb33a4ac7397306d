// transports/header_addresses.cpp — splitting address-list header values.
#include "transports/header_addresses.h"

#include "util/strings.h"

namespace transports {
namespace {

// Removes (comments) outside quotes and a "display name:" group prefix; trims.
std::string clean_item(std::string_view item) {
  std::string out;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < item.size(); ++i) {
    char c = item[i];
    if (c == '\\' && i + 1 < item.size()) {
      if (depth == 0) out.append(item.substr(i, 2));
      ++i;
      continue;
    }
    if (c == '"' && depth == 0) quoted = !quoted;
    if (!quoted && c == '(') ++depth;
    if (depth == 0) out.push_back(c);
    if (!quoted && c == ')' && depth > 0) --depth;
  }
  return std::string(util::trim(out));
}

std::string address_of(std::string_view item) {
  std::string s = clean_item(item);
  size_t lt = s.rfind('<');
  if (lt != std::string::npos) {
    size_t gt = s.find('>', lt);
    return std::string(util::trim(s.substr(lt + 1, gt == std::string::npos ? gt : gt - lt - 1)));
  }
  // A group: "name: a, b;" — the first member follows the colon (outside quotes).
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    if (!quoted && s[i] == ':') return std::string(util::trim(std::string_view(s).substr(i + 1)));
  }
  while (!s.empty() && s.back() == ';') s.pop_back();
  return std::string(util::trim(s));
}

}  // namespace

std::vector<std::string> parse_address_list(std::string_view value) {
  std::vector<std::string> out;
  int depth = 0;
  bool quoted = false, angle = false;
  size_t start = 0;
  auto take = [&](size_t end) {
    std::string a = address_of(value.substr(start, end - start));
    while (!a.empty() && a.back() == ';') a.pop_back();
    if (!a.empty()) out.push_back(a);
    start = end + 1;
  };
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '"' && depth == 0) quoted = !quoted;
    if (quoted) continue;
    if (c == '(')
      ++depth;
    else if (c == ')' && depth > 0)
      --depth;
    else if (depth == 0 && c == '<')
      angle = true;
    else if (depth == 0 && c == '>')
      angle = false;
    else if (depth == 0 && !angle && (c == ',' || c == ';'))
      take(i);
  }
  take(value.size());
  return out;
}

}  // namespace transports

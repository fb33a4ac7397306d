// util/hosts_file.cpp — see hosts_file.h.
#include "util/hosts_file.h"

#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace util {
namespace {

// Calls `f(address, names)` for each valid line of the file.
template <class F>
void each_line(const std::string& path, F f) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string addr, name;
    if (!(words >> addr)) continue;
    auto ip = IpAddress::parse(addr);
    if (!ip) continue;
    std::vector<std::string> names;
    while (words >> name) names.push_back(name);
    if (!names.empty()) f(ip->unmapped(), names);
  }
}

}  // namespace

std::vector<IpAddress> hosts_file_addresses(const std::string& path, std::string_view name) {
  std::vector<IpAddress> out;
  each_line(path, [&](const IpAddress& a, const std::vector<std::string>& names) {
    for (const auto& n : names) {
      if (iequals(n, name)) {
        out.push_back(a);
        return;
      }
    }
  });
  return out;
}

std::vector<std::string> hosts_file_names(const std::string& path, const IpAddress& address) {
  std::vector<std::string> out;
  const IpAddress want = address.unmapped();
  each_line(path, [&](const IpAddress& a, const std::vector<std::string>& names) {
    if (a == want) out.insert(out.end(), names.begin(), names.end());
  });
  return out;
}

}  // namespace util

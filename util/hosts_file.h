// util/hosts_file.h — the hosts file (hosts(5), normally /etc/hosts): the names of an address
// and the addresses of a name, as the system's "files" name service gives them. No mail
// knowledge.
//
// Lines are "address name [aliases...]", '#' starts a comment; names compare without regard
// to case. An IPv4-mapped address is compared as IPv4. The file is read on every call (it is
// small and may change); a file that cannot be read is treated as empty.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/ip.h"

namespace util {

// Every address listed for `name`, in file order.
std::vector<IpAddress> hosts_file_addresses(const std::string& path, std::string_view name);
// The names of `address`: the first line's canonical name first, then its aliases and the
// names of later lines for the same address.
std::vector<std::string> hosts_file_names(const std::string& path, const IpAddress& address);

}  // namespace util

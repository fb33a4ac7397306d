// routers/redirect_list.h — the non-filter redirection data of the redirect router: a list of
// addresses, files, pipes and special items separated by commas or newlines (spec 22.4-22.6,
// 22.9; Exim's parse_forward_list).
//
// Items: '#' at the start of an item starts a comment to the end of the line; an item wholly
// in double quotes loses them; ":include:/path" inserts the items of a file (not expanded);
// ":blackhole:" discards the address; ":fail: text" and ":defer: text" end the list (the text,
// to the end of the line, is the message; items before them are kept); ":unknown:" is ignored
// (a list of nothing else makes the router decline); "|command" and "/path" that do not parse
// as addresses with a domain are pipes and files ("/path/" a directory); "\name" is
// qualified with the incoming domain; other unqualified addresses with the qualify domain.
//
// Failures are results, never exceptions: Error with Exim's message for a syntax error (unless
// skip_syntax_errors, which records it and goes on), a forbidden special item, or an
// :include: file that cannot be read. :include: nesting is bounded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/address.h"

namespace routers {

struct RedirectListOptions {
  bool allow_fail = false, allow_defer = false;
  bool forbid_blackhole = false, forbid_include = false;
  bool skip_syntax_errors = false;
  bool allow_domain_literals = false;
  std::string incoming_domain;  // for "\name"
  std::string qualify_domain;   // for other unqualified addresses
  std::string include_directory;
};

struct RedirectItem {
  std::string text;  // a qualified address, or the path / command
  engine::AddressKind kind = engine::AddressKind::Mail;
};

struct RedirectSyntaxError {
  std::string message, item;
};

struct RedirectList {
  // Exim's FF_ codes for a forward list.
  enum class Result : unsigned char { Delivered, NotDelivered, Blackhole, Defer, Fail, Error };
  Result result = Result::NotDelivered;
  std::vector<RedirectItem> items;           // in the order written
  std::string message;                       // Fail/Defer text, Error description
  std::vector<RedirectSyntaxError> skipped;  // with skip_syntax_errors
};

RedirectList parse_redirect_list(std::string_view data, const RedirectListOptions& opts);

// Exim's parse_find_address_end: the end of the item starting at `s` (a comma outside
// quotes, comments and angle brackets, or a newline).
size_t redirect_item_end(std::string_view s);

}  // namespace routers

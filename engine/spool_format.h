// engine/spool_format.h — the text of Exim's -H spool file (spec chapter 57, "Format of spool
// files"), written and read back. No I/O here: engine/spool.h puts the text on disk.
//
// Layout of a -H file, one item a line:
//   ID-H                       the file's own name
//   login uid gid              the caller (the facteur user for SMTP)
//   <sender>                   envelope sender, "<>" for a bounce
//   time warnings              reception time (epoch seconds), delay warnings sent
//   -name [value]              variables: "--" when tainted, "-(quoter)name" when quoted
//   -aclc NAME LEN / -aclm NAME LEN, followed by LEN bytes of value and a newline
//   XX | YY addr ...           the non-recipients (delivered) tree, preorder, Y/N = children
//   N                          recipient count, then N recipient lines:
//                              "addr" or "addr orcpt len,dsnflags errors_to len,parent#bits"
//   (blank line)
//   NNNc text                  headers: length (with the final newline), type char, text
//
// spool_header_parse() never crashes, loops or reads out of bounds on any input; a truncated
// or malformed file gives an Error "format error in spool file ID-H: DETAIL" (the reader in
// Exim says only "Format error in spool file"). Unknown variables are kept in order so that
// a file read and written back loses nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace engine {

// DSN NOTIFY flags as Exim stores them (RFC 3461 section 4.1).
enum : unsigned {
  kDsnNever = 0x02,
  kDsnSuccess = 0x04,
  kDsnFailure = 0x08,
  kDsnDelay = 0x10,
};

struct SpoolVar {
  std::string name;   // without the hyphens: "helo_name", "local", "body_linecount"
  std::string value;  // "" for a flag
  bool has_value = false;
  bool tainted = false;  // written with two hyphens
  std::string quoter;    // "-(quoter)name": data quoted for that lookup type
  bool operator==(const SpoolVar&) const = default;
};

struct SpoolAclVar {
  char kind = 'm';    // 'c' for acl_c*, 'm' for acl_m*
  std::string name;   // the rest of the name: "_foo" for $acl_m_foo, "0" for $acl_m0
  std::string value;  // may contain newlines
  bool tainted = false;
  bool operator==(const SpoolAclVar&) const = default;
};

struct SpoolRecipient {
  std::string address;
  // DSN (flag bit 2): the ORCPT value and the NOTIFY flags.
  bool has_dsn = false;
  std::string orcpt;
  unsigned dsn_flags = 0;
  // one_time redirection (flag bit 1): errors_to address and the parent's index.
  bool has_parent = false;
  std::string errors_to;
  int parent = -1;
  bool operator==(const SpoolRecipient&) const = default;
};

struct SpoolHeader {
  char type = ' ';   // ' ', B C F I P R S T, '*' for deleted ones
  std::string text;  // the whole header with embedded and final newlines
  bool operator==(const SpoolHeader&) const = default;
};

struct SpoolMessage {
  std::string id;
  std::string login = "root";
  int64_t uid = 0, gid = 0;
  std::string sender;  // without angle brackets, "" for <>
  int64_t received_time = 0;
  int warning_count = 0;
  std::vector<SpoolVar> vars;
  std::vector<SpoolAclVar> acl_vars;
  std::vector<std::string> non_recipients;  // delivered addresses, any order
  std::vector<SpoolRecipient> recipients;
  std::vector<SpoolHeader> headers;

  const SpoolVar* var(std::string_view name) const;
  bool flag(std::string_view name) const { return var(name) != nullptr; }
  // The value of a variable, or `dflt` when absent.
  std::string value(std::string_view name, std::string_view dflt = "") const;
  // Adds or replaces a variable with a value / a flag.
  void set_var(std::string_view name, std::string_view value, bool tainted = false);
  void set_flag(std::string_view name);
  void remove_var(std::string_view name);
  // Total length of the headers that are not deleted ('*').
  int64_t header_size() const;
  bool delivered(std::string_view address) const;
  bool operator==(const SpoolMessage&) const = default;
};

// "-host_address" as 4.96 writes it: "[ip]:port"; older spools have "ip.port".
std::string spool_format_host_address(std::string_view ip, int port);
bool spool_parse_host_address(std::string_view text, std::string& ip, int& port);

// The complete -H text, starting with the "ID-H" line.
std::string spool_header_format(const SpoolMessage& msg);

// Parses a -H text. When `expected_id` is not empty the first line must be "expected_id-H".
util::Result<SpoolMessage> spool_header_parse(std::string_view text,
                                              std::string_view expected_id = {});
// The same, keeping in `out` what was read before an error (for listings of damaged files,
// as Exim's -bp shows them). Returns "" or the error text. `envelope_ok` tells whether
// everything up to the headers (sender, variables, recipients) was read.
std::string spool_header_parse_into(std::string_view text, std::string_view expected_id,
                                    SpoolMessage& out, bool* envelope_ok = nullptr);

}  // namespace engine

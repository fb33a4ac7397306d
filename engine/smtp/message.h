// engine/smtp/message.h — the mail transaction being received (envelope, data, headers) and
// the reader that turns DATA input into message lines (RFC 5321 sections 4.1.1.4 and 4.5.2).
//
// DataReader consumes bytes and yields unstuffed lines. In strict (network) mode a line ends
// only at CRLF and only ".\r\n" at the start of a line ends the data; any other CR or LF is
// kept as data and flags the message (bare_line_ending), so that no bare-LF or bare-CR
// variant can end the data early and smuggle a command (T-SMUG-1..10). In LF mode (stdin
// sessions) LF ends a line and a CR before it is dropped, as Exim does for -bs and -bh.
// Sizes are counted with LF line ends, as Exim stores them; past `size_limit` the data is
// counted but no longer kept. The reader consumes all its input: an unfinished line is held
// here, not in the caller's buffer, and once a limit is passed it is counted, not kept, so a
// client cannot make the session hold more than the limits allow.
// Header limits (spec 14: header_maxsize, header_line_maxsize) flag the message the same way.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace engine::smtp {

struct Recipient {
  std::string address;  // as it will be delivered (after the percent hack, qualification)
  std::string orcpt;    // DSN ORCPT=, xtext-decoded
  std::string notify;   // DSN NOTIFY=
};

// Where a message came from, as the spool records it.
struct MessageOrigin {
  std::string client_address;  // "" for a local client
  int client_port = 0;
  std::string helo_name;
  std::string received_protocol;
  std::string local_user;
  std::string primary_hostname;
  bool local = false;
  std::string authenticator;  // the instance that authenticated the client, "" if none
  std::string auth_id;        // $authenticated_id
  std::string tls_cipher;     // "TLS1.3:TLS_AES_256_GCM_SHA384:256", "" without TLS
  std::string tls_peerdn;     // the client certificate's subject
  bool tls_verified = false;  // the client certificate was verified
};

struct Transaction {
  bool mail_given = false;
  std::string sender;                              // "" for the null sender
  uint64_t declared_size = 0;                      // SIZE=
  int body_type = 0;                               // BODY=: 0 unset, 7 (7BIT), 8 (8BITMIME)
  std::string auth_sender;                         // AUTH= (xtext-decoded), "" if none or "<>"
  std::pair<std::string, std::string> auth_param;  // AUTH= as given and decoded, to be judged
  std::string envid, ret;                          // DSN ENVID=, RET=
  bool smtputf8 = false;
  bool discard = false;      // the MAIL or DATA ACL discarded everything
  int discarded = 0;         // recipients accepted but discarded
  bool too_many = false;     // a RCPT went past recipients_max (logged once)
  std::string discarded_by;  // "MAIL", "RCPT" or "DATA": the ACL that discarded (for the log)
  std::string discard_log;   // the DATA ACL's log_message when it discarded
  std::vector<Recipient> recipients;
  int rcpt_commands = 0;  // RCPT commands seen
  int rcpt_fail_count = 0, rcpt_defer_count = 0;
  std::string rcpt_fail_message;             // text of the last RCPT refusal
  bool rcpt_fail_same = true;                // every refusal had that text
  std::vector<std::string> added_headers;    // ACL add_header
  std::vector<std::string> removed_headers;  // ACL remove_header
  // The message as received: header lines (unfolded lines kept as sent, LF-terminated) and
  // the body, stored with LF line ends.
  std::string data;
  size_t header_end = 0;  // offset of the body in `data`
  uint64_t size = 0;      // bytes received, LF line ends
  uint64_t lines = 0;
  uint64_t max_line_length = 0;  // $max_received_linelength: longest line, no line end
  std::string received;          // the Received: header we add
  std::string message_id;
  MessageOrigin origin;                         // set when the data is complete
  std::map<std::string, std::string> acl_vars;  // $acl_c*, $acl_m* at acceptance
};

// Header lookup in received data: the value of the first header called `name` (caseless),
// continuation lines joined as sent; false when absent.
bool find_header(std::string_view headers, std::string_view name, std::string& value);

// Limits of one message; 0 means none.
struct DataLimits {
  uint64_t size = 0;         // message_size_limit
  uint64_t header = 0;       // header_maxsize: the whole header section
  uint64_t header_line = 0;  // header_line_maxsize: one header with its continuations
};

class DataReader {
 public:
  enum class Result : unsigned char { NeedMore, End };

  void reset(bool lf_mode, const DataLimits& limits);
  // Consumes from `in` starting at `pos` (advanced past what was used).
  Result consume(std::string_view in, size_t& pos, Transaction& t);
  // BDAT: chunk bytes are data as they are, no dot handling; CRLF is stored as LF.
  void add_chunk(std::string_view bytes, Transaction& t);
  void end_chunks(Transaction& t);  // after the LAST chunk: a final unterminated line
  bool bare_line_ending() const { return bare_; }
  bool too_big() const { return too_big_; }
  // The header section, or one header line, was over its limit.
  bool header_too_big() const { return header_too_big_; }
  bool header_line_too_long() const { return header_line_too_long_; }

 private:
  Result split(std::string_view in, size_t& pos, Transaction& t, bool dots);
  void add_line(std::string_view line, Transaction& t);
  void hold(std::string_view bytes, const Transaction& t);
  void check_header_limits(std::string_view line, bool continuation);

  bool lf_mode_ = false;
  DataLimits limits_;
  bool bare_ = false;
  bool too_big_ = false;
  bool header_too_big_ = false;
  bool header_line_too_long_ = false;
  bool in_headers_ = true;
  uint64_t header_bytes_ = 0;  // the header section so far
  uint64_t header_line_ = 0;   // the current header with its continuations
  bool fits_whole(std::string_view seg, const Transaction& t) const;
  std::string partial_;   // an unfinished line
  uint64_t dropped_ = 0;  // bytes of partial_ counted but not kept (over a limit)
};

}  // namespace engine::smtp

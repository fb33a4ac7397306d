// transports/message_writer.h — writes a message as a transport delivers it (Exim's
// transport_write_message; spec 24 "Generic options for transports", 48.17 "Adding and
// removing header lines in routers and transports").
//
// Output, in order: message_prefix (verbatim), then the header section — Return-path:,
// Envelope-to:, Delivery-date: when asked for, the spool's headers (deleted ones skipped)
// without those matched by the removal list ("Name" or "Prefix*", caseless) and after
// headers_rewrite, then the headers added by routers and by the transport — then a blank
// line, the body, and message_suffix (verbatim). headers_only / body_only drop a part.
//
// Line transformations apply to the header section and the body (not to prefix and
// suffix): at the start of each line `check` is replaced by `escape` (mbox "From " escaping,
// SMTP dot-stuffing is check "." escape ".."), and with `crlf` every LF becomes CRLF. The
// body is streamed from the spool in chunks; no line is held in memory whole.
//
// Failure: the sink returns false (the writer stops and returns an Error "write failed"; the
// sink keeps errno meaningful), or the -D file cannot be read.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "transports/transport.h"
#include "util/result.h"

namespace transports {

struct HeaderEdits {
  std::vector<std::string> remove;  // header names, "Prefix*" matches a prefix
  std::vector<std::string> add;     // whole header lines (a missing final newline is added)
  bool add_return_path = false, add_envelope_to = false, add_delivery_date = false;
  std::string return_path;               // Return-path: <...>
  std::vector<std::string> envelope_to;  // Envelope-to: a, b
  std::string delivery_date;             // Delivery-date: (RFC 5322 date)
  // headers_rewrite: given a whole header line, returns the rewritten line (or it unchanged).
  std::function<std::string(const std::string&)> rewrite;
};

struct WriteOptions {
  std::string prefix, suffix;  // written verbatim
  std::string check, escape;   // line-start escaping (both set, or nothing happens)
  bool crlf = false;
  bool headers_only = false, body_only = false;
  bool final_newline = false;  // make sure the text before `suffix` ends with a newline
};

using Sink = std::function<bool(std::string_view)>;

// Writes the message; returns the number of bytes given to the sink.
util::Result<int64_t> write_message(const MessageSource& msg, const HeaderEdits& edits,
                                    const WriteOptions& opts, const Sink& sink);

// The header section alone (after edits, no transformation), as it would be written.
std::string build_headers(const engine::SpoolMessage& msg, const HeaderEdits& edits);

// True when header line `line` ("Name: value") matches one of `patterns`.
bool header_matches(std::string_view line, const std::vector<std::string>& patterns);

// Line-start escaping and line-end conversion over a stream of chunks.
class LineTransformer {
 public:
  LineTransformer(const WriteOptions& opts, const Sink& out);
  bool write(std::string_view data);
  bool finish();  // flushes what is held back (a partial check string at the end)
  bool at_line_start() const { return at_start_ && held_.empty(); }
  int64_t bytes_out() const { return bytes_; }

 private:
  bool emit(std::string_view s);
  bool body(std::string_view s);  // text with no line-start decision pending
  const WriteOptions& opts_;
  const Sink& out_;
  bool at_start_ = true;
  std::string held_;  // the start of a line that may still turn out to be `check`
  int64_t bytes_ = 0;
};

}  // namespace transports

// transports/message_writer.cpp — header edits, line transformations, streaming the body.
#include "transports/message_writer.h"

#include <algorithm>

#include "util/strings.h"

namespace transports {
namespace {

void append_line(std::string& out, std::string_view line) {
  out.append(line);
  if (line.empty() || line.back() != '\n') out.push_back('\n');
}

// Collects small writes into large ones for the final sink.
class BufferedSink {
 public:
  explicit BufferedSink(const Sink& out) : out_(out) { buf_.reserve(kSize); }
  bool operator()(std::string_view s) {
    if (buf_.size() + s.size() > kSize && !flush()) return false;
    if (s.size() >= kSize) return out_(s);
    buf_.append(s);
    return true;
  }
  bool flush() {
    if (buf_.empty()) return true;
    bool ok = out_(buf_);
    buf_.clear();
    return ok;
  }

 private:
  static constexpr size_t kSize = 64 * 1024;
  const Sink& out_;
  std::string buf_;
};

}  // namespace

bool header_matches(std::string_view line, const std::vector<std::string>& patterns) {
  size_t colon = line.find(':');
  std::string_view name = util::trim(line.substr(0, colon));
  for (const std::string& p : patterns) {
    std::string_view pat = util::trim(p);
    if (pat.empty()) continue;
    if (pat.back() == ':') pat.remove_suffix(1);
    if (pat.back() == '*') {
      if (util::starts_with_ci(name, pat.substr(0, pat.size() - 1))) return true;
    } else if (util::iequals(name, pat)) {
      return true;
    }
  }
  return false;
}

std::string build_headers(const engine::SpoolMessage& msg, const HeaderEdits& edits) {
  std::string out;
  if (edits.add_return_path) out += "Return-path: <" + edits.return_path + ">\n";
  if (edits.add_envelope_to) {
    out += "Envelope-to: ";
    for (size_t i = 0; i < edits.envelope_to.size(); ++i)
      out += (i ? ",\n " : "") + edits.envelope_to[i];
    out += "\n";
  }
  if (edits.add_delivery_date) out += "Delivery-date: " + edits.delivery_date + "\n";
  for (const engine::SpoolHeader& h : msg.headers) {
    if (h.type == '*' || header_matches(h.text, edits.remove)) continue;
    append_line(out, edits.rewrite ? edits.rewrite(h.text) : h.text);
  }
  for (const std::string& a : edits.add)
    if (!a.empty()) append_line(out, a);
  return out;
}

// ----- LineTransformer -----

LineTransformer::LineTransformer(const WriteOptions& opts, const Sink& out)
    : opts_(opts), out_(out) {}

bool LineTransformer::emit(std::string_view s) {
  if (s.empty()) return true;
  bytes_ += static_cast<int64_t>(s.size());
  return out_(s);
}

// Writes `s` (which starts in the middle of a line or where no check applies) up to and
// including its first newline, converting the line end. Returns the bytes consumed in `used`.
bool LineTransformer::body(std::string_view s) {
  size_t nl = s.find('\n');
  std::string_view line = nl == std::string_view::npos ? s : s.substr(0, nl);
  if (!emit(line)) return false;
  at_start_ = nl != std::string_view::npos;
  if (!at_start_) return true;
  return emit(opts_.crlf ? std::string_view("\r\n") : std::string_view("\n"));
}

bool LineTransformer::write(std::string_view data) {
  const std::string& check = opts_.check;
  bool escaping = !check.empty() && !opts_.escape.empty();
  size_t i = 0;
  while (i < data.size()) {
    if (at_start_ && escaping) {
      size_t take = std::min(check.size() - held_.size(), data.size() - i);
      held_.append(data.substr(i, take));
      i += take;
      if (check.compare(0, held_.size(), held_) != 0) {
        std::string h = std::move(held_);
        held_.clear();
        if (!body(h)) return false;  // its first line, without escaping
        size_t nl = h.find('\n');
        if (nl != std::string::npos && !write(std::string_view(h).substr(nl + 1))) return false;
        continue;
      }
      if (held_.size() < check.size()) return true;  // wait for more
      held_.clear();
      at_start_ = false;
      std::string_view esc = opts_.escape;
      // The escape may end a line itself (MMDF's "\1\1\1\1 \n").
      while (!esc.empty()) {
        size_t nl = esc.find('\n');
        if (!body(esc)) return false;
        esc = nl == std::string_view::npos ? std::string_view() : esc.substr(nl + 1);
      }
      continue;
    }
    size_t nl = data.find('\n', i);
    size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
    if (!body(data.substr(i, end - i))) return false;
    i = end;
  }
  return true;
}

bool LineTransformer::finish() {
  if (held_.empty()) return true;
  std::string h = std::move(held_);
  held_.clear();
  at_start_ = false;
  return emit(h);
}

util::Result<int64_t> write_message(const MessageSource& msg, const HeaderEdits& edits,
                                    const WriteOptions& opts, const Sink& sink) {
  BufferedSink buf(sink);
  Sink to_buf = [&buf](std::string_view s) { return buf(s); };
  int64_t total = static_cast<int64_t>(opts.prefix.size());
  util::Error write_failed{"write failed", {}};
  if (!buf(opts.prefix)) return write_failed;
  LineTransformer lt(opts, to_buf);
  bool last_newline = true;
  auto put = [&](std::string_view s) {
    if (!s.empty()) last_newline = s.back() == '\n';
    return lt.write(s);
  };
  if (!opts.body_only) {
    if (!put(build_headers(msg.envelope(), edits))) return write_failed;
    if (!opts.headers_only && !put("\n")) return write_failed;
  }
  if (!opts.headers_only) {
    bool sink_ok = true;
    auto r = msg.read_body([&](std::string_view chunk) { return sink_ok = put(chunk); });
    if (!r) return r.error();
    if (!sink_ok) return write_failed;
  }
  if (!lt.finish()) return write_failed;
  if (opts.final_newline && !last_newline && !lt.write("\n")) return write_failed;
  total += lt.bytes_out();
  if (!buf(opts.suffix) || !buf.flush()) return write_failed;
  return total + static_cast<int64_t>(opts.suffix.size());
}

}  // namespace transports

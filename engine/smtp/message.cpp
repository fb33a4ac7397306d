// engine/smtp/message.cpp — DATA/BDAT input to message lines (see message.h).
#include "engine/smtp/message.h"

#include <algorithm>

#include "util/strings.h"

namespace engine::smtp {
namespace {

// A header line starts with a field name (printable, no space or colon) and a colon.
bool looks_like_header(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

}  // namespace

bool find_header(std::string_view headers, std::string_view name, std::string& value) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t eol = headers.find('\n', pos);
    if (eol == std::string_view::npos) eol = headers.size();
    std::string_view line = headers.substr(pos, eol - pos);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        util::iequals(line.substr(0, name.size()), name)) {
      value = std::string(line.substr(name.size() + 1));
      size_t next = eol + 1;
      while (next < headers.size() && (headers[next] == ' ' || headers[next] == '\t')) {
        size_t e = headers.find('\n', next);
        if (e == std::string_view::npos) e = headers.size();
        value += "\n";
        value += headers.substr(next, e - next);
        next = e + 1;
      }
      return true;
    }
    pos = eol + 1;
  }
  return false;
}

void DataReader::reset(bool lf_mode, const DataLimits& limits) {
  lf_mode_ = lf_mode;
  limits_ = limits;
  bare_ = too_big_ = header_too_big_ = header_line_too_long_ = false;
  in_headers_ = true;
  header_bytes_ = header_line_ = dropped_ = 0;
  partial_.clear();
}

void DataReader::check_header_limits(std::string_view line, bool continuation) {
  header_bytes_ += line.size() + 1;
  header_line_ = continuation ? header_line_ + line.size() + 1 : line.size() + 1;
  if (limits_.header > 0 && header_bytes_ > limits_.header) header_too_big_ = true;
  if (limits_.header_line > 0 && header_line_ > limits_.header_line) header_line_too_long_ = true;
}

void DataReader::add_line(std::string_view line, Transaction& t) {
  t.size += dropped_ + line.size() + 1;
  ++t.lines;
  t.max_line_length = std::max<uint64_t>(t.max_line_length, dropped_ + line.size());
  if (limits_.size > 0 && t.size > limits_.size) too_big_ = true;
  if (in_headers_) {
    bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t') && t.data.size() > 0;
    if (line.empty() || (!continuation && !looks_like_header(line))) {
      in_headers_ = false;
      t.header_end = t.data.size();
    } else {
      check_header_limits(line, continuation);
    }
  }
  dropped_ = 0;
  if (too_big_ || header_too_big_) return;
  t.data.append(line);
  t.data += '\n';
  if (in_headers_) t.header_end = t.data.size();
}

// Appends to the unfinished line; past a limit only its last byte is kept (a CR that a
// following LF completes) and the rest is counted.
void DataReader::hold(std::string_view bytes, const Transaction& t) {
  partial_.append(bytes);
  uint64_t pending = dropped_ + partial_.size();
  if (limits_.size > 0 && t.size + pending > limits_.size) too_big_ = true;
  if (in_headers_ && limits_.header > 0 && header_bytes_ + pending > limits_.header)
    header_too_big_ = true;
  if ((too_big_ || header_too_big_) && partial_.size() > 2) {
    dropped_ += partial_.size() - 1;
    partial_.erase(0, partial_.size() - 1);
  }
}

// True when `seg`, a whole line of the input, can be taken in place: no unfinished line
// before it, and holding it would trip no limit (the slow path counts and drops then).
bool DataReader::fits_whole(std::string_view seg, const Transaction& t) const {
  if (!partial_.empty() || dropped_ > 0 || too_big_ || header_too_big_) return false;
  if (limits_.size > 0 && t.size + seg.size() > limits_.size) return false;
  return !in_headers_ || limits_.header == 0 || header_bytes_ + seg.size() <= limits_.header;
}

// Splits input into lines (see message.h); with `dots`, a "." line ends the data and a
// leading dot is removed (DATA); without, the bytes are opaque (BDAT). A line that is whole
// in the input is used where it is; one that spans inputs is gathered in partial_.
DataReader::Result DataReader::split(std::string_view in, size_t& pos, Transaction& t, bool dots) {
  while (pos < in.size()) {
    size_t lf = in.find('\n', pos);
    if (lf == std::string_view::npos) {
      hold(in.substr(pos), t);
      pos = in.size();
      return Result::NeedMore;
    }
    std::string_view seg = in.substr(pos, lf - pos);
    pos = lf + 1;
    std::string_view line;
    if (fits_whole(seg, t)) {
      bool cr = !seg.empty() && seg.back() == '\r';
      if (!lf_mode_ && !cr) {  // a bare LF: as below
        bare_ = true;
        hold(seg, t);
        hold("\n", t);
        continue;
      }
      line = cr ? seg.substr(0, seg.size() - 1) : seg;
    } else {
      hold(seg, t);
      bool cr = !partial_.empty() && partial_.back() == '\r';
      if (!lf_mode_ && !cr) {  // a bare LF is data in strict mode, and flags the message
        bare_ = true;
        hold("\n", t);
        continue;
      }
      if (cr) partial_.pop_back();
      line = partial_;
    }
    if (dots && line == "." && dropped_ == 0) {
      partial_.clear();
      return Result::End;
    }
    // A bare CR left in the line flags the message (an LF in it was flagged when held).
    if (!lf_mode_ && line.find('\r') != std::string_view::npos) bare_ = true;
    if (dots && !line.empty() && line[0] == '.' && dropped_ == 0) line.remove_prefix(1);
    add_line(line, t);
    partial_.clear();
  }
  return Result::NeedMore;
}

DataReader::Result DataReader::consume(std::string_view in, size_t& pos, Transaction& t) {
  return split(in, pos, t, true);
}

void DataReader::add_chunk(std::string_view bytes, Transaction& t) {
  size_t pos = 0;
  (void)split(bytes, pos, t, false);
}

void DataReader::end_chunks(Transaction& t) {
  if (!partial_.empty() || dropped_ > 0) {
    if (partial_.find('\r') != std::string::npos) bare_ = true;  // an LF was flagged when held
    add_line(partial_, t);
    partial_.clear();
  }
  if (in_headers_) t.header_end = t.data.size();
}

}  // namespace engine::smtp

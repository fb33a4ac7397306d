// engine/smtp/message.cpp — DATA/BDAT input to message lines (see message.h).
#include "engine/smtp/message.h"

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

void DataReader::reset(bool lf_mode, uint64_t size_limit) {
  lf_mode_ = lf_mode;
  limit_ = size_limit;
  bare_ = too_big_ = false;
  in_headers_ = true;
  partial_.clear();
}

void DataReader::add_line(std::string_view line, Transaction& t) {
  t.size += line.size() + 1;
  ++t.lines;
  if (limit_ > 0 && t.size > limit_) too_big_ = true;
  if (in_headers_) {
    bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t') && t.data.size() > 0;
    if (line.empty() || (!continuation && !looks_like_header(line))) {
      in_headers_ = false;
      t.header_end = t.data.size();
    }
  }
  if (too_big_) return;
  t.data.append(line);
  t.data += '\n';
  if (in_headers_) t.header_end = t.data.size();
}

DataReader::Result DataReader::consume(std::string_view in, size_t& pos, Transaction& t) {
  while (pos < in.size()) {
    size_t end, next;
    if (lf_mode_) {
      end = in.find('\n', pos);
      if (end == std::string_view::npos) return Result::NeedMore;
      next = end + 1;
      if (end > pos && in[end - 1] == '\r') --end;
    } else {
      end = in.find("\r\n", pos);
      if (end == std::string_view::npos) return Result::NeedMore;
      next = end + 2;
    }
    std::string_view line = in.substr(pos, end - pos);
    pos = next;
    if (line == ".") return Result::End;
    if (!lf_mode_ && line.find_first_of("\r\n") != std::string_view::npos) bare_ = true;
    if (!line.empty() && line[0] == '.') line.remove_prefix(1);
    add_line(line, t);
  }
  return Result::NeedMore;
}

void DataReader::add_chunk(std::string_view bytes, Transaction& t) {
  partial_.append(bytes);
  size_t pos = 0;
  while (true) {
    size_t e = partial_.find("\r\n", pos);
    if (e == std::string::npos) break;
    std::string_view line(partial_.data() + pos, e - pos);
    if (line.find_first_of("\r\n") != std::string_view::npos) bare_ = true;
    add_line(line, t);
    pos = e + 2;
  }
  partial_.erase(0, pos);
  // A very long line without CRLF is still counted against the limit as it grows.
  if (limit_ > 0 && t.size + partial_.size() > limit_) too_big_ = true;
}

void DataReader::end_chunks(Transaction& t) {
  if (!partial_.empty()) {
    if (partial_.find_first_of("\r\n") != std::string::npos) bare_ = true;
    add_line(partial_, t);
    partial_.clear();
  }
  if (in_headers_) t.header_end = t.data.size();
}

}  // namespace engine::smtp

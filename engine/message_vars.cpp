#include "engine/message_vars.h"

#include <fstream>
#include <sstream>

#include "util/strings.h"

namespace engine {

util::Result<bool> MessageVariables::load_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return util::Error{"failed to open " + path, {}};
  std::stringstream ss;
  ss << f.rdbuf();
  load_text(ss.str());
  return true;
}

void MessageVariables::load_text(std::string_view text) {
  size_ = text.size();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.empty()) break;  // end of the header section
    raw_headers_.append(line).append("\n");
    if ((line[0] == ' ' || line[0] == '\t') && !headers_.empty()) {
      headers_.back().second.append("\n").append(line);  // continuation
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers_.emplace_back(std::string(util::trim(line.substr(0, colon))),
                          std::string(line.substr(colon + 1)));
  }
  body_ = std::string(text.substr(pos));
  if (!raw_headers_.empty()) raw_headers_.pop_back();
}

bool MessageVariables::header(std::string_view kind, std::string_view name,
                              std::string& out) const {
  bool found = false;
  out.clear();
  for (const auto& [n, v] : headers_) {
    if (!util::iequals(n, name)) continue;
    if (found) out += kind == "lh" ? ":" : "\n";
    // $rh_ is the raw text after the colon; the others drop leading white space.
    out += kind == "rh" ? v : std::string(util::trim(v));
    found = true;
  }
  return found;
}

bool MessageVariables::get(std::string_view name, std::string& out) const {
  if (name == "message_body" || name == "message_body_end") {
    out = body_;
    for (char& c : out)
      if (c == '\n') c = ' ';
    return true;
  }
  if (name == "message_headers" || name == "message_headers_raw") {
    out = raw_headers_;
    return true;
  }
  if (name == "message_size") {
    out = std::to_string(size_);
    return true;
  }
  if (name == "message_body_size") {
    out = std::to_string(body_.size());
    return true;
  }
  if (name == "body_linecount" || name == "message_linecount") {
    size_t n = 0;
    for (char c : body_) n += c == '\n';
    if (name == "message_linecount") {
      for (char c : raw_headers_) n += c == '\n';
      n += 1 + !raw_headers_.empty();
    }
    out = std::to_string(n);
    return true;
  }
  return base_ && base_->get(name, out);
}

}  // namespace engine

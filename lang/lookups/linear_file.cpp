#include "lang/lookups/linear_file.h"

#include <cctype>

#include "lang/escapes.h"
#include "lang/lookups/file_index.h"
#include "util/base64.h"
#include "util/strings.h"

namespace lang {
namespace {

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Reads the key at the start of `line`; returns the offset just after it.
size_t read_key(std::string_view line, std::string& key) {
  if (line[0] != '"') {
    size_t i = 0;
    while (i < line.size() && line[i] != ':' && !is_space(line[i])) ++i;
    key.assign(line.substr(0, i));
    return i;
  }
  size_t i = 1;
  while (i < line.size() && line[i] != '"') {
    if (line[i] == '\\' && i + 1 < line.size()) {
      i = decode_escape(line, i + 1, key);
    } else {
      key += line[i++];
    }
  }
  return i < line.size() ? i + 1 : i;
}

std::string_view next_line(std::string_view content, size_t& pos) {
  size_t e = content.find('\n', pos);
  if (e == std::string_view::npos) e = content.size();
  std::string_view line = content.substr(pos, e - pos);
  pos = e < content.size() ? e + 1 : e;
  return line;
}

}  // namespace

std::vector<LinearEntry> linear_parse(std::string_view content) {
  std::vector<LinearEntry> out;
  size_t pos = 0;
  while (pos < content.size()) {
    std::string_view line = next_line(content, pos);
    if (line.empty() || line[0] == '#' || is_space(line[0])) continue;
    LinearEntry e;
    size_t k = read_key(line, e.key);
    std::string_view rest = rtrim(line.substr(k));
    e.full = e.key;
    e.full += rest;
    size_t d = 0;
    while (d < rest.size() && is_space(rest[d])) ++d;
    if (d < rest.size() && rest[d] == ':') {
      ++d;
      while (d < rest.size() && is_space(rest[d])) ++d;
    }
    e.data.assign(rest.substr(d));
    // Continuation lines.
    while (pos < content.size()) {
      size_t save = pos;
      std::string_view cont = next_line(content, pos);
      std::string_view text = rtrim(util::trim(cont));
      if (cont.empty() || !is_space(cont[0]) || text.empty()) {
        pos = save;
        break;
      }
      e.data += ' ';
      e.data += text;
      e.full += ' ';
      e.full += text;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string_view lookup_option(const LookupOptions& opts, std::string_view name) {
  std::string_view v;
  for (const auto& [k, val] : opts) {
    if (k == name) v = val;
  }
  return v;
}

Status linear_open_error(const std::string& file, int err) {
  if (err == kNotRegularFile)
    return Status::error(file + " is not a regular file (lsearch lookup)");
  return Status::error("failed to open " + file + " for linear search: " + util::errno_text(err));
}

}  // namespace lang

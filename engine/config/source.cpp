#include "engine/config/source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

#include "util/strings.h"

namespace engine::config {
namespace {

constexpr size_t kMaxFileSize = 64 << 20;

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Matches a directive word at the start of `text`: the word, then end or white space.
bool directive_is(std::string_view text, std::string_view word) {
  return text.starts_with(word) && (text.size() == word.size() || is_space(text[word.size()]));
}

util::Error error_at(std::string msg, const util::SourceLoc& loc) {
  util::SourceLoc l = loc;
  l.column = 0;
  return util::Error{std::move(msg), l};
}

}  // namespace

util::SourceLoc LogicalLine::loc() const {
  if (pieces.empty()) return {};
  util::SourceLoc l = pieces.front().loc;
  l.column = 0;
  return l;
}

util::SourceLoc LogicalLine::loc_at(size_t offset) const {
  if (pieces.empty()) return {};
  size_t k = 0;
  while (k + 1 < pieces.size() && pieces[k + 1].offset <= offset) ++k;
  util::SourceLoc l = pieces[k].loc;
  l.column += static_cast<int>(offset - pieces[k].offset);
  return l;
}

bool read_whole_file(const std::string& path, std::string& out, std::string& err) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    err = util::errno_text(errno);
    return false;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    err = util::errno_text(S_ISDIR(st.st_mode) ? EISDIR : errno);
    ::close(fd);
    return false;
  }
  out.clear();
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      err = util::errno_text(errno);
      ::close(fd);
      return false;
    }
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMaxFileSize) {  // /dev/zero and other endless files
      err = "file too large";
      ::close(fd);
      return false;
    }
  }
  ::close(fd);
  return true;
}

bool parse_line_marker(std::string_view text, LineMarker& out) {
  if (!text.starts_with("#line ")) return false;
  std::string_view rest = util::trim(text.substr(6));
  if (rest == "default") {
    out = {0, {}, true};
    return true;
  }
  size_t i = 0;
  int n = 0;
  for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i) {
    if (n > 100'000'000) return false;
    n = n * 10 + (rest[i] - '0');
  }
  if (i == 0 || n == 0) return false;
  LineMarker m{n, {}, false};
  rest = util::trim(rest.substr(i));
  if (rest.empty()) {
    out = std::move(m);
    return true;
  }
  if (rest.size() < 2 || rest.front() != '"' || rest.back() != '"') return false;
  for (size_t k = 1; k + 1 < rest.size(); ++k) {
    if (rest[k] == '"') return false;
    if (rest[k] == '\\' && k + 2 < rest.size()) ++k;
    m.file += rest[k];
  }
  if (m.file.empty()) return false;
  out = std::move(m);
  return true;
}

std::string format_line_marker(int line, std::string_view file) {
  std::string s = "#line " + std::to_string(line);
  if (file.empty()) return s;
  s += " \"";
  for (char c : file) {
    if (c == '"' || c == '\\') s += '\\';
    s += c == '\n' ? '?' : c;
  }
  return s + '"';
}

void LineSource::push_frame(std::string name, std::string data) {
  std::string dir = dir_of(name);
  frames_.push_back({name, std::move(dir), std::move(data), 0, 0, name, 0});
}

util::Result<bool> LineSource::open_file(const std::string& path) {
  std::string data, err;
  if (!read_whole_file(path, data, err)) {
    return util::Error{"failed to open configuration file " + path + ": " + err, {}};
  }
  push_frame(path, std::move(data));
  return true;
}

void LineSource::open_string(std::string_view text, const std::string& name) {
  push_frame(name, std::string(text));
}

bool LineSource::read_physical(std::string& line, util::SourceLoc& loc) {
  while (!frames_.empty()) {
    Frame& f = frames_.back();
    if (f.pos >= f.data.size()) {
      frames_.pop_back();
      continue;
    }
    size_t nl = f.data.find('\n', f.pos);
    if (nl == std::string::npos) nl = f.data.size();
    std::string_view text(f.data.data() + f.pos, nl - f.pos);
    f.pos = nl + 1;
    ++f.line;
    ++f.shown_line;
    if (LineMarker m; parse_line_marker(text, m)) {
      if (m.reset) {
        f.shown = f.name;
        f.shown_line = f.line;
      } else {
        if (!m.file.empty()) f.shown = std::move(m.file);
        f.shown_line = m.line - 1;
      }
      continue;
    }
    line.assign(text);
    loc = {f.shown, f.shown_line, 1};
    last_ = loc;
    return true;
  }
  return false;
}

util::Result<bool> LineSource::include(std::string_view arg, bool if_exists,
                                       const util::SourceLoc& loc) {
  std::string name(util::trim(arg));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  if (name.empty()) return error_at("missing file name after .include", loc);
  if (if_exists && name[0] != '/') {
    return error_at(".include specifies a non-absolute path \"" + name + "\"", loc);
  }
  if (name[0] != '/') name = frames_.back().dir + "/" + name;
  if (frames_.size() > kMaxIncludeDepth) {
    return error_at(".include nested more than " + std::to_string(kMaxIncludeDepth) +
                        " deep (is a file including itself?)",
                    loc);
  }
  std::string data, err;
  if (!read_whole_file(name, data, err)) {
    if (if_exists && access(name.c_str(), F_OK) != 0) return true;
    return error_at("failed to open included configuration file " + name, loc);
  }
  push_frame(name, std::move(data));
  return true;
}

// Handles the conditional and .include directives; true when `text` was one.
util::Result<bool> LineSource::directive(std::string_view text, bool macro_found,
                                         const util::SourceLoc& loc) {
  if (text.empty() || text[0] != '.') return false;
  bool negate = directive_is(text, ".ifndef") || directive_is(text, ".elifndef");
  if (directive_is(text, ".ifdef") || directive_is(text, ".ifndef")) {
    cond_.push_back(skipping() ? 2 : (macro_found != negate ? 0 : 1));
    cond_at_.push_back(loc);
    return true;
  }
  const char* which = directive_is(text, ".elifdef")    ? ".elifdef"
                      : directive_is(text, ".elifndef") ? ".elifndef"
                      : directive_is(text, ".else")     ? ".else"
                      : directive_is(text, ".endif")    ? ".endif"
                                                        : nullptr;
  if (which) {
    if (cond_.empty()) return error_at(std::string(which) + " without matching .ifdef", loc);
    int& st = cond_.back();
    if (which[1] == 'e' && which[2] == 'n') {
      cond_.pop_back();
      cond_at_.pop_back();
    } else if (which[3] == 's')
      st = st == 1 ? 0 : 2;  // .else
    else
      st = st == 1 ? (macro_found != negate ? 0 : 1) : 2;
    return true;
  }
  if (skipping()) return false;
  if (directive_is(text, ".include")) return include(text.substr(8), false, loc);
  if (directive_is(text, ".include_if_exists")) return include(text.substr(18), true, loc);
  return false;
}

util::Result<bool> LineSource::next(LogicalLine& out) {
  out.text.clear();
  out.pieces.clear();
  std::string raw;
  util::SourceLoc loc;
  while (read_physical(raw, loc)) {
    bool found = macros_.substitute(raw, out.text.empty());
    size_t b = 0, e = raw.size();
    while (b < e && is_space(raw[b])) ++b;
    while (e > b && is_space(raw[e - 1])) --e;
    std::string_view t(raw.data() + b, e - b);
    auto d = directive(t, found, loc);
    if (!d) return d.error();
    if (*d || skipping()) continue;
    if (t.empty()) {
      if (out.text.empty()) continue;
      return true;  // a blank line ends a continued line
    }
    if (t[0] == '#') continue;
    loc.column = static_cast<int>(b) + 1;
    out.pieces.push_back({out.text.size(), loc});
    out.text += t;
    if (out.text.back() != '\\') return true;
    out.text.pop_back();
  }
  if (!cond_.empty()) {
    std::string msg = "Unexpected end of configuration file: .endif missing";
    // In an assembled or included configuration the end is far from the cause: say where.
    const util::SourceLoc& open = cond_at_.back();
    if (open.file != last_.file) {
      msg += "\n (hint: the .ifdef or .ifndef at " + open.file + ":" + std::to_string(open.line) +
             " has no .endif)";
    }
    return error_at(msg, last_);
  }
  return !out.text.empty();
}

}  // namespace engine::config

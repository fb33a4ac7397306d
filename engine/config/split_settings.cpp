#include "engine/config/split_settings.h"

#include <algorithm>

namespace engine::config {
namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool ends_word(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '\r';
}

// Reads the shell text as a sequence of words, assignments and separators.
class Scanner {
 public:
  Scanner(std::string_view text, const std::string& path, Diagnostics& diag)
      : t_(text), path_(path), diag_(diag) {}

  void run(std::vector<SplitSetting>& out) {
    while (skip_separators()) {
      if (t_[i_] == '#') {
        skip_line();
        continue;
      }
      int line = line_;
      std::string name = read_name();
      if (name == "export" && i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t')) {
        skip_blanks();
        name = read_name();
      }
      if (name.empty() || i_ >= t_.size() || t_[i_] != '=') {
        warn(line, "not a NAME=VALUE assignment; the command is ignored");
        skip_command();
        continue;
      }
      ++i_;
      bool expansion = false;
      std::string value = read_word(expansion, line);
      if (expansion) {
        warn(line, name + ": '$' and '`' are not expanded; the value is used as written");
      }
      out.push_back({std::move(name), std::move(value), line});
    }
  }

 private:
  void warn(int line, const std::string& msg) {
    diag_.warnings.push_back(path_ + ":" + std::to_string(line) + ": " + msg);
  }
  // Skips white space, newlines and ';'; false at the end of the text.
  bool skip_separators() {
    while (i_ < t_.size() && (ends_word(t_[i_]) || t_[i_] == ';')) {
      if (t_[i_] == '\n') ++line_;
      ++i_;
    }
    return i_ < t_.size();
  }
  void skip_blanks() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t')) ++i_;
  }
  void skip_line() {
    while (i_ < t_.size() && t_[i_] != '\n') ++i_;
  }
  // Skips to the end of a command: an unquoted newline or ';'.
  void skip_command() {
    while (i_ < t_.size() && t_[i_] != '\n' && t_[i_] != ';') {
      bool ignored = false;
      int line = line_;
      if (ends_word(t_[i_]))
        ++i_;
      else
        read_word(ignored, line);
    }
  }
  std::string read_name() {
    size_t b = i_;
    if (i_ < t_.size() && is_name_start(t_[i_]))
      while (i_ < t_.size() && is_name_char(t_[i_])) ++i_;
    return std::string(t_.substr(b, i_ - b));
  }
  void read_single(std::string& out, int line) {
    size_t end = t_.find('\'', i_);
    if (end == std::string_view::npos) {
      warn(line, "unterminated '...' quote");
      end = t_.size();
    }
    std::string_view part = t_.substr(i_, end - i_);
    line_ += static_cast<int>(std::count(part.begin(), part.end(), '\n'));
    out += part;
    i_ = std::min(end + 1, t_.size());
  }
  void read_double(std::string& out, bool& expansion, int line) {
    for (; i_ < t_.size() && t_[i_] != '"'; ++i_) {
      char c = t_[i_];
      if (c == '\n') ++line_;
      if (c == '$' || c == '`') expansion = true;
      if (c == '\\' && i_ + 1 < t_.size() &&
          std::string_view("$`\"\\\n").find(t_[i_ + 1]) != std::string_view::npos) {
        c = t_[++i_];
        if (c == '\n') {
          ++line_;
          continue;  // a line continuation
        }
      }
      out += c;
    }
    if (i_ >= t_.size())
      warn(line, "unterminated \"...\" quote");
    else
      ++i_;
  }
  // One shell word: quoted and bare parts up to unquoted white space, newline or ';'.
  std::string read_word(bool& expansion, int line) {
    std::string out;
    while (i_ < t_.size() && !ends_word(t_[i_])) {
      char c = t_[i_++];
      if (c == '\'') {
        read_single(out, line);
      } else if (c == '"') {
        read_double(out, expansion, line);
      } else if (c == '\\' && i_ < t_.size()) {
        if (t_[i_] == '\n') ++line_;
        if (t_[i_] != '\n') out += t_[i_];
        ++i_;
      } else {
        if (c == '$' || c == '`') expansion = true;
        out += c;
      }
    }
    return out;
  }

  std::string_view t_;
  const std::string& path_;
  Diagnostics& diag_;
  size_t i_ = 0;
  int line_ = 1;
};

}  // namespace

const SplitSetting* SplitSettings::find(std::string_view name) const {
  for (const SplitSetting& s : items)
    if (s.name == name) return &s;
  return nullptr;
}

std::string SplitSettings::get(std::string_view name, std::string_view fallback) const {
  const SplitSetting* s = find(name);
  return s ? s->value : std::string(fallback);
}

SplitSettings parse_split_settings(std::string_view text, const std::string& path,
                                   Diagnostics& diag) {
  SplitSettings out;
  out.path = path;
  std::vector<SplitSetting> all;
  Scanner(text, path, diag).run(all);
  for (SplitSetting& s : all) {
    auto same = [&](const SplitSetting& o) { return o.name == s.name; };
    out.items.erase(std::remove_if(out.items.begin(), out.items.end(), same), out.items.end());
    out.items.push_back(std::move(s));
  }
  return out;
}

}  // namespace engine::config

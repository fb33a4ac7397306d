#include "lang/lists.h"

#include <cctype>

namespace lang {
namespace {
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
}  // namespace

ListReader::ListReader(std::string_view list, char default_sep) : s_(list), sep_(default_sep) {
  size_t i = 0;
  while (i < s_.size() && is_space(s_[i])) ++i;
  if (i + 1 == s_.size() && s_[i] == '<') {
    // "<" at the very end: Exim reads the terminating NUL as the separator; the list is empty.
    sep_ = '\0';
    i += 1;
  } else if (i + 1 < s_.size() && s_[i] == '<' &&
             (std::ispunct(static_cast<unsigned char>(s_[i + 1])) ||
              std::iscntrl(static_cast<unsigned char>(s_[i + 1])))) {
    sep_ = s_[i + 1];
    i += 2;
  } else {
    i = 0;
  }
  i_ = i;
}

bool ListReader::next(std::string& item) {
  item.clear();
  // White space around items is dropped, except the separator itself when it is white space.
  // A doubled separator stands for one literal separator, unless the separator is white space.
  auto blank = [this](char c) { return c != sep_ && is_space(c); };
  const bool doubling = !is_space(sep_);
  while (i_ < s_.size() && blank(s_[i_])) ++i_;
  if (i_ >= s_.size()) return false;
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == sep_) {
      if (doubling && i_ + 1 < s_.size() && s_[i_ + 1] == sep_) {
        item += c;
        i_ += 2;
        continue;
      }
      ++i_;
      break;
    }
    item += c;
    ++i_;
  }
  while (!item.empty() && blank(item.back())) item.pop_back();
  return true;
}

char list_separator(std::string_view list, char default_sep) {
  return ListReader(list, default_sep).separator();
}

void list_append(std::string& list, char sep, std::string_view item) {
  if (!list.empty()) list += sep;
  for (char c : item) {
    list += c;
    if (c == sep) list += c;
  }
}

void ListWriter::add(std::string_view item) {
  if (!first_) {
    out_ += sep_;
    if (item.empty() || item[0] == sep_) out_ += ' ';
  }
  first_ = false;
  for (char c : item) {
    out_ += c;
    if (c == sep_) out_ += c;
  }
}

}  // namespace lang

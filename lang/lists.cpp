#include "lang/lists.h"

#include <cctype>

namespace lang {
namespace {
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
}  // namespace

ListReader::ListReader(std::string_view list, char default_sep) : s_(list), sep_(default_sep) {
  size_t i = 0;
  while (i < s_.size() && is_space(s_[i])) ++i;
  if (i + 1 < s_.size() && s_[i] == '<' &&
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
  const bool sep_space = is_space(sep_);
  if (!sep_space) {
    while (i_ < s_.size() && is_space(s_[i_])) ++i_;
  }
  if (i_ >= s_.size()) return false;
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == sep_) {
      if (i_ + 1 < s_.size() && s_[i_ + 1] == sep_) {  // doubled: literal separator
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
  if (!sep_space) {
    while (!item.empty() && is_space(item.back())) item.pop_back();
  }
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

}  // namespace lang

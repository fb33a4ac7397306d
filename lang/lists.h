// lang/lists.h — Exim's colon-separated lists (spec chapter 6, "List construction").
//
// The default separator is ':' (or the caller's). A list may start with "<c" (c a punctuation
// or control character) to use c instead. A doubled separator stands for one literal
// separator character (not so when the separator is white space). Leading and trailing white
// space of each item is removed, except the separator character itself. An empty list has no
// items; "a::b" is one item "a:b".
#pragma once

#include <string>
#include <string_view>

namespace lang {

class ListReader {
 public:
  explicit ListReader(std::string_view list, char default_sep = ':');
  // Reads the next item into `item`; false at the end of the list.
  bool next(std::string& item);
  char separator() const { return sep_; }

 private:
  std::string_view s_;
  size_t i_ = 0;
  char sep_ = ':';
};

// The separator a list would use ("<;a;b" gives ';'), without reading any item.
char list_separator(std::string_view list, char default_sep = ':');

// Appends `item` to a list being built with separator `sep`, doubling any separator inside
// it (Exim's string_append_listele). An empty item in a ':' list is written as "::"? no: as is.
void list_append(std::string& list, char sep, std::string_view item);

// Builds an output list as map, filter, sort and ${addresses} do: items after the first are
// preceded by the separator, and by a space when they are empty or start with the separator
// (so that re-reading the list gives the same items); separators inside items are doubled.
class ListWriter {
 public:
  explicit ListWriter(char sep) : sep_(sep) {}
  void add(std::string_view item);
  const std::string& str() const { return out_; }
  bool empty() const { return first_; }

 private:
  std::string out_;
  char sep_;
  bool first_ = true;
};

}  // namespace lang

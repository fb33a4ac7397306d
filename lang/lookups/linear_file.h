// lang/lookups/linear_file.h — the text format shared by lsearch, wildlsearch, nwildlsearch
// and iplsearch (spec 9.3, "lsearch"), parsed into entries once.
//
// A line that is empty, starts with '#' or starts with white space begins no entry. A key
// runs to a colon, white space or the end of the line; a key starting with '"' runs to the
// matching quote (or the end of the line) and takes backslash escapes. The data is the rest
// of the line after white space and one optional colon, trimmed; each following line that
// starts with white space and has some text continues it, joined with one space (a line
// that is empty, blank or starts with a non-space ends the entry, as Exim does).
//
// Also here: how the lsearch family opens its files and words the errors.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/lookup.h"

namespace lang {

struct LinearEntry {
  std::string key;   // unquoted
  std::string data;  // the value returned
  std::string full;  // ret=full: key (unquoted), the rest of the line, continuations
};

// Parses a whole file; entries keep the file's order.
std::vector<LinearEntry> linear_parse(std::string_view content);

// Reads `option` ("ret") from a lookup's options: the value of its last setting, or "".
std::string_view lookup_option(const LookupOptions& opts, std::string_view name);

// The error for a file of the lsearch family that could not be read (errno or
// kNotRegularFile in `err`).
Status linear_open_error(const std::string& file, int err);

}  // namespace lang

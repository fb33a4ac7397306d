// engine/config/source.h — the physical-line layer of the configuration reader (spec chapter
// 6, sections 6.2-6.10): files and .include, macro substitution in each physical line,
// .ifdef/.ifndef/.elifdef/.elifndef/.else/.endif, comment lines, and backslash continuation.
//
// LineSource::next() hands out logical lines: leading and trailing white space removed,
// continuations joined (the continuation's leading white space dropped), each piece tagged
// with the file, line and column it came from so that an error found at any byte of the
// logical line can be reported as file:line:column. Errors (unreadable include, unmatched
// .else, missing .endif, include loops) come back as util::Error with the location.
//
// Line markers: a physical line `#line N "FILE"` (as C's #line; a comment to Exim) makes the
// next physical line count as line N of FILE, `#line N` keeps the file and renumbers, and
// `#line default` returns to the real file and line. The split-configuration assembler
// (assembler.h) writes them so that every error names the conf.d fragment and its line. A
// line that starts with "#line" but does not have exactly one of these forms is a comment.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/macros.h"
#include "util/result.h"

namespace engine::config {

struct LogicalLine {
  struct Piece {
    size_t offset;        // where the piece starts in `text`
    util::SourceLoc loc;  // its file, line and 1-based column
  };
  std::string text;
  std::vector<Piece> pieces;

  util::SourceLoc loc() const;                  // the first piece, column dropped
  util::SourceLoc loc_at(size_t offset) const;  // file:line:column of byte `offset`
};

// A parsed line marker. `file` is empty for `#line N`; `reset` for `#line default`.
struct LineMarker {
  int line = 0;
  std::string file;
  bool reset = false;
};
// True when `text` (a whole physical line) is a line marker; fills `out`.
bool parse_line_marker(std::string_view text, LineMarker& out);
// `#line N "FILE"` (FILE empty: `#line N`), with '"' and '\' in FILE escaped by a backslash and
// a newline replaced by '?'.
std::string format_line_marker(int line, std::string_view file = {});
inline constexpr std::string_view kLineMarkerReset = "#line default";

class LineSource {
 public:
  explicit LineSource(const MacroTable& macros) : macros_(macros) {}
  // Starts reading `path` ("failed to open configuration file ..." on error).
  util::Result<bool> open_file(const std::string& path);
  // Starts reading `text` as if it were the file `name` (includes resolve from its directory).
  void open_string(std::string_view text, const std::string& name);
  // Reads the next logical line into `out`: true, or false at the end of the input.
  util::Result<bool> next(LogicalLine& out);

  static constexpr size_t kMaxIncludeDepth = 50;

 private:
  struct Frame {
    std::string name;
    std::string dir;
    std::string data;
    size_t pos = 0;
    int line = 0;       // physical lines read
    std::string shown;  // the file errors name (a line marker may change it)
    int shown_line = 0;
  };
  void push_frame(std::string name, std::string data);
  bool read_physical(std::string& line, util::SourceLoc& loc);
  util::Result<bool> directive(std::string_view text, bool macro_found, const util::SourceLoc& loc);
  util::Result<bool> include(std::string_view arg, bool if_exists, const util::SourceLoc& loc);
  bool skipping() const { return !cond_.empty() && cond_.back() != 0; }

  const MacroTable& macros_;
  std::vector<Frame> frames_;
  // Conditional state per open .ifdef: 0 = taking lines, 1 = skipping until a true .elifdef or
  // .else, 2 = skipping until .endif.
  std::vector<int> cond_;
  std::vector<util::SourceLoc> cond_at_;  // where each open .ifdef is
  util::SourceLoc last_;
};

// Reads a whole file; false with an errno text on failure (directories fail too).
bool read_whole_file(const std::string& path, std::string& out, std::string& err);

}  // namespace engine::config

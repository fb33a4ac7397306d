// lang/items/readfile.cpp — ${readfile{<file name>}{<eol string>}} (spec 11.5): the file's
// bytes, unexpanded; with a second argument every newline is replaced by it. A file that
// cannot be opened is an error: "failed to open <name>: <strerror>". A file that opens but
// cannot be read (a directory) reads as empty, as in Exim.
#include <cerrno>
#include <cstdio>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"
#include "util/strings.h"

namespace lang {
namespace {

constexpr size_t kMaxFile = size_t{1} << 30;  // refuse to build strings beyond 1 GiB

Status read_all(const std::string& path, std::string& data) {
  std::FILE* f = path.find('\0') == std::string::npos ? std::fopen(path.c_str(), "rb") : nullptr;
  if (!f) {
    int err = path.find('\0') == std::string::npos ? errno : ENOENT;
    return Status::error("failed to open " + path + ": " + util::errno_text(err));
  }
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    data.append(buf, n);
    if (data.size() > kMaxFile) {
      std::fclose(f);
      return Status::error("file " + path + " is too big for readfile");
    }
  }
  std::fclose(f);
  return Status::ok();
}

class ReadfileNode : public Node {
 public:
  Status eval(EvalContext& ctx, std::string& out) const override {
    std::string path, eol, data;
    LANG_TRY(args[0].eval(ctx, path));
    if (args.size() > 1) LANG_TRY(args[1].eval(ctx, eol));
    LANG_TRY(read_all(path, data));
    if (args.size() == 1) {
      out += data;
      return Status::ok();
    }
    for (char c : data) {
      if (c == '\n')
        out += eol;
      else
        out += c;
    }
    return Status::ok();
  }
  std::vector<Template> args;
};

Status parse_readfile(Parser& p, std::string_view name, NodePtr& out) {
  auto n = std::make_unique<ReadfileNode>();
  LANG_TRY(p.read_args(name, 1, 2, n->args));
  LANG_TRY(p.close_item(name));
  out = std::move(n);
  return Status::ok();
}

const ItemRegistrar reg({{"readfile", parse_readfile}});

}  // namespace
}  // namespace lang

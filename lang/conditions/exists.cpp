// lang/conditions/exists.cpp — exists{<path>} (spec 11.7): true when stat() succeeds on the
// expanded path, taken as is (no white space is removed; an empty or relative path that
// does not name a file is simply false).
#include <sys/stat.h>

#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class ExistsCond : public Cond {
 public:
  Status test(EvalContext& ctx, bool& r) const override {
    std::string path;
    LANG_TRY(arg[0].eval(ctx, path));
    struct stat sb;
    r = path.find('\0') == std::string::npos && ::stat(path.c_str(), &sb) == 0;
    return Status::ok();
  }
  std::vector<Template> arg;
};

Status parse_exists(Parser& p, std::string_view name, CondPtr& out) {
  auto c = std::make_unique<ExistsCond>();
  LANG_TRY(parse_cond_args(p, name, 1, c->arg));
  out = std::move(c);
  return Status::ok();
}

const ConditionRegistrar reg({{"exists", parse_exists}});

}  // namespace
}  // namespace lang

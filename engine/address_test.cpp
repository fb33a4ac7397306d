// engine/address_test.cpp — the -bt and -bv modes (spec 5, "-bt", "-bv"; see verify.h).
#include <cstring>

#include "engine/config/main_options.h"
#include "engine/smtp/address.h"
#include "engine/verify.h"
#include "lang/util/address.h"
#include "util/strings.h"

namespace engine {
namespace {

using routers::RouterResult;

class AddressTester {
 public:
  AddressTester(const RouterChain& chain, lang::EvalContext& ctx, const AddressTestOptions& o,
                std::FILE* out)
      : cfg_(chain.config()), out_(out) {
    env_.chain = &chain;
    env_.ctx = &ctx;
    env_.mode = o.test ? RouteMode::Test
                       : (o.as_sender ? RouteMode::VerifySender : RouteMode::VerifyRecipient);
    env_.sender = o.as_sender ? "" : o.sender;
    env_.debug = o.test ? stderr : nullptr;
    vs_.mode = env_.mode;
    vs_.full = o.test;
    vs_.out = out;
    vs_.duplicates = &duplicates_;
  }
  // One argument: addresses separated by commas.
  void test_list(std::string_view text);
  int exit_status() const { return exit_; }

 private:
  void test_one(std::string_view text);

  const config::Config& cfg_;
  std::FILE* out_;
  RouteEnv env_;
  VerifySettings vs_;
  std::set<std::string> duplicates_;
  int exit_ = 0;
};

void AddressTester::test_one(std::string_view text) {
  smtp::PathOptions po;
  po.allow_domain_literals = config::main_bool(cfg_, "allow_domain_literals");
  auto p = smtp::parse_path(text, po);
  if (!p) {
    std::fprintf(out_, "syntax error: %s\n", p.error().message.c_str());
    exit_ = 2;
    return;
  }
  VerifyOutcome v = verify_address(p->address(), env_, vs_);
  if (v.status == RouterResult::Fail) exit_ = 2;
  if (v.status == RouterResult::Defer && exit_ == 0) exit_ = 1;
}

void AddressTester::test_list(std::string_view text) {
  for (std::string_view piece : lang::address_split(text)) {
    std::string_view t = util::trim(piece);
    if (!t.empty()) test_one(t);
  }
}

}  // namespace

int run_address_test(const RouterChain& chain, lang::EvalContext& ctx,
                     const AddressTestOptions& opts, const std::vector<std::string>& args,
                     std::FILE* in, std::FILE* out) {
  AddressTester t(chain, ctx, opts, out);
  if (!args.empty()) {
    for (const std::string& a : args) t.test_list(a);
    return t.exit_status();
  }
  char buf[4096];
  while (true) {
    std::fputs("> ", out);
    std::fflush(out);
    if (!std::fgets(buf, sizeof buf, in)) break;
    std::string_view line = util::trim(buf);
    if (!line.empty()) t.test_list(line);
  }
  std::fputc('\n', out);
  return t.exit_status();
}

}  // namespace engine

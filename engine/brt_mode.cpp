// engine/brt_mode.cpp — -brt (see brt_mode.h).
#include "engine/brt_mode.h"

namespace engine {
namespace {

// "u@d" stays; "d" becomes "*@d" so that only domain patterns match it.
std::string subject_of(const std::string& arg) {
  return arg.find('@') == std::string::npos ? "*@" + arg : arg;
}

}  // namespace

int run_retry_test(const RetryRules& rules, lang::EvalContext& ctx,
                   const std::vector<std::string>& args, const std::optional<std::string>& sender,
                   std::FILE* out, std::FILE* err) {
  if (args.empty()) {
    std::fprintf(err, "-brt needs a domain or address argument\n");
    return 1;
  }
  const std::string& first = args[0];
  if (first.find('@') == std::string::npos && first.find('.') == std::string::npos) {
    std::fprintf(out,
                 "Warning: \"%s\" contains no '@' and no '.' characters. It is being \n"
                 "treated as a one-component domain, not as a local part.\n\n",
                 first.c_str());
  }
  RetryQuery q;
  q.subject = subject_of(first);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].find('.') != std::string::npos && q.alt_subject.empty()) {
      q.alt_subject = subject_of(args[i]);
      continue;
    }
    RetryErrorSpec spec;
    if (std::string e = retry_error_parse(args[i], spec); !e.empty()) {
      std::fprintf(err, "%s\n", e.c_str());
      return 1;
    }
    q.error = {spec.kind,
               400 + (spec.digit2 == 'x' ? 0 : (spec.digit2 - '0') * 10) +
                   (spec.digit3 == 'x' ? 0 : spec.digit3 - '0'),
               spec.source == RetryErrorSpec::Source::Mx, spec.quota_idle};
  }
  if (sender) q.sender = &*sender;
  const RetryRule* r = retry_find_rule(rules, ctx, q);
  if (!r) {
    std::fprintf(out, "No retry information found\n");
    return 0;
  }
  std::fprintf(out, "Retry rule: %s\n", retry_rule_display(*r).c_str());
  return 0;
}

}  // namespace engine

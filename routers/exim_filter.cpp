#include "routers/exim_filter.h"

#include "engine/route_vars.h"
#include "util/strings.h"

namespace routers {

struct FilterProgram {};

FilterType filter_type(std::string_view data) {
  (void)data;
  return FilterType::None;
}

ParsedFilter parse_exim_filter(std::string_view text) {
  (void)text;
  return {nullptr, "not yet"};
}

FilterResult run_exim_filter(const FilterProgram& program, lang::EvalContext& ctx,
                             engine::RouteVariables& vars, const FilterOptions& opts) {
  (void)program, (void)ctx, (void)vars, (void)opts;
  return {};
}

}  // namespace routers

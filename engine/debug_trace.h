// engine/debug_trace.h — the -d+expand tracer: prints each expansion step to stderr.
#pragma once

#include "lang/context.h"

namespace engine {

class ExpandTrace : public lang::Tracer {
 public:
  void trace(int depth, std::string_view what, std::string_view text) override;
};

}  // namespace engine

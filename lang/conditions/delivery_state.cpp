// lang/conditions/delivery_state.cpp — first_delivery and queue_running (spec 11.7):
// conditions without arguments describing the current delivery attempt. Outside a delivery
// (as in -be) both are false. The delivery stage will provide the real state once it
// exists; until then nothing in facteur runs a queue or a delivery attempt.
#include "lang/context.h"
#include "lang/parser.h"
#include "lang/registry.h"

namespace lang {
namespace {

class DeliveryStateCond : public Cond {
 public:
  Status test(EvalContext&, bool& r) const override {
    r = false;
    return Status::ok();
  }
};

Status parse_state(Parser&, std::string_view, CondPtr& out) {
  out = std::make_unique<DeliveryStateCond>();
  return Status::ok();
}

const ConditionRegistrar reg({{"first_delivery", parse_state}, {"queue_running", parse_state}});

}  // namespace
}  // namespace lang

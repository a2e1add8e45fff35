#include "engine/physical_projection.h"

namespace sg {

PhysicalProjection::PhysicalProjection(const std::vector<BoundExprPtr>& outputs) {
  outputs_.reserve(outputs.size());
  for (const BoundExprPtr& e : outputs) outputs_.push_back(Output{e->op, e->index, e.get()});
}

}  // namespace sg

// Extra work per record, switched on by a flag (--inject-work N), so that the regression gate can
// be shown to catch a slowdown: N rounds of a dependent integer mix per record, which the
// optimizer cannot remove and which costs the same instructions on every run.
#pragma once

#include <memory>

#include "engine/engine.h"

namespace sg {

std::unique_ptr<Engine> with_injected_work(std::unique_ptr<Engine> inner, unsigned rounds_per_record);

}  // namespace sg

// Parses one SELECT statement of the streamgauge dialect into an AST.
#pragma once

#include <string_view>

#include "engine/sql/ast.h"

namespace sg {

// Throws SqlError naming line:column, what was found and what was expected. Never crashes on
// any input: nesting depth, literal sizes and token counts are bounded with clear errors.
ast::SelectStatement parse_select(std::string_view sql);

}  // namespace sg

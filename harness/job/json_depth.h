// A bound on how deeply a JSON text we read may nest. nlohmann::json parses without recursion,
// but dump(), copies and comparisons recurse once per level: a value nested 100,000 deep
// overflowed the stack in `query`. Every JSON text that comes from outside the program is
// checked here before it is parsed, so that nothing built from it can be too deep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sg {

// Far deeper than any record, result file or benchmark file needs; shallow enough that a
// recursive walk of the parsed value uses a few hundred kilobytes of stack at most.
inline constexpr int kMaxJsonDepth = 512;

// Where a text first nests deeper than the limit: 1-based line and byte column of the bracket
// that opens level limit + 1.
struct JsonDepthExcess {
  int64_t line = 1;
  int64_t column = 1;
};

// Scans `text` once (brackets inside strings do not count). nullopt when it stays within `limit`.
std::optional<JsonDepthExcess> find_json_depth_excess(std::string_view text,
                                                      int limit = kMaxJsonDepth);

// "JSON nested deeper than the limit of 512 levels at column 10" (the caller adds file and line).
std::string json_depth_message(const JsonDepthExcess& at, int limit = kMaxJsonDepth);

// Throws std::runtime_error "NAME:LINE: JSON nested deeper than ..." when `text` is too deep.
void check_json_depth(std::string_view text, const std::string& name, int limit = kMaxJsonDepth);

}  // namespace sg

#include "harness/job/json_depth.h"

#include <fmt/format.h>

namespace sg {

std::optional<JsonDepthExcess> find_json_depth_excess(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  JsonDepthExcess at;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      // A raw newline inside a string is invalid JSON (the parser says so); lines still count.
      ++at.line;
      line_start = i + 1;
    } else if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        at.column = static_cast<int64_t>(i - line_start) + 1;
        return at;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::string json_depth_message(const JsonDepthExcess& at, int limit) {
  return fmt::format("JSON nested deeper than the limit of {} levels at column {}", limit,
                     at.column);
}

void check_json_depth(std::string_view text, const std::string& name, int limit) {
  if (auto at = find_json_depth_excess(text, limit)) {
    throw std::runtime_error(
        fmt::format("{}:{}: {}", name, at->line, json_depth_message(*at, limit)));
  }
}

}  // namespace sg

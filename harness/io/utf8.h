// The one rule of every text writer (JSONL, CSV) for bytes that are not UTF-8: each ill-formed
// sequence is written as U+FFFD, one per maximal ill-formed subpart (Unicode 15, section 3.9,
// as Python's errors="replace" and nlohmann::json's error_handler_t::replace do). Readers keep
// a string's bytes as they are; only what we write must be valid (docs/reliability.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sg {

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// At s[i]: the length of a well-formed UTF-8 sequence (1 to 4 bytes, `valid`), or of the
// maximal ill-formed subpart that one U+FFFD replaces (1 to 3 bytes, !`valid`). i < s.size().
struct Utf8Step {
  size_t length = 1;
  bool valid = true;
};
Utf8Step utf8_step(std::string_view s, size_t i);

bool is_valid_utf8(std::string_view s);

// Appends `s` with every ill-formed subpart replaced by U+FFFD.
void append_replacing_invalid_utf8(std::string& out, std::string_view s);

}  // namespace sg

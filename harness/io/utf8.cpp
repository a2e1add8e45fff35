#include "harness/io/utf8.h"

namespace sg {

Utf8Step utf8_step(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return {1, true};
  // The continuation bytes each lead byte allows (Unicode table 3-7): the first may be
  // narrower, which excludes overlong forms, surrogates and code points past U+10FFFF.
  size_t continuations = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuations = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    continuations = 2;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    continuations = 3;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {1, false};  // 80..C1 and F5..FF never start a sequence
  }
  for (size_t n = 1; n <= continuations; ++n) {
    if (i + n >= s.size() || byte(i + n) < low || byte(i + n) > high) return {n, false};
    low = 0x80;
    high = 0xBF;
  }
  return {continuations + 1, true};
}

bool is_valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const Utf8Step step = utf8_step(s, i);
    if (!step.valid) return false;
    i += step.length;
  }
  return true;
}

void append_replacing_invalid_utf8(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const Utf8Step step = utf8_step(s, i);
    if (step.valid) {
      out.append(s.data() + i, step.length);
    } else {
      out += kReplacementCharacter;
    }
    i += step.length;
  }
}

}  // namespace sg

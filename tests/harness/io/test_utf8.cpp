#include <catch2/catch.hpp>

#include <string>

#include "harness/io/utf8.h"

using namespace sg;

namespace {

std::string replaced(std::string_view s) {
  std::string out;
  append_replacing_invalid_utf8(out, s);
  return out;
}

const std::string R(kReplacementCharacter);

}  // namespace

TEST_CASE("utf8: well-formed sequences pass, each maximal ill-formed subpart is one U+FFFD") {
  CHECK(is_valid_utf8("plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK(replaced("plain \xC3\xA9 \xE2\x82\xAC") == "plain \xC3\xA9 \xE2\x82\xAC");
  // Unicode's own example (section 3.9, table 3-8), and what Python's errors="replace" gives.
  CHECK(replaced("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64") ==
        "a" + R + R + R + "b" + R + "c" + R + R + "d");
  CHECK(replaced("\xED\xA0\x80") == R + R + R);          // a surrogate
  CHECK(replaced("\xF4\x90\x80\x80") == R + R + R + R);  // past U+10FFFF
  CHECK(replaced("\xC0\xAF") == R + R);                  // overlong
  CHECK(replaced("\xFF") == R);
  CHECK(replaced("\xE2\x82") == R);  // cut short at the end
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));
}

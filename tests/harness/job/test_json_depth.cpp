#include <catch2/catch.hpp>

#include <string>

#include "harness/job/json_depth.h"

using namespace sg;

TEST_CASE("json depth: the first bracket past the limit, with line and column") {
  REQUIRE_FALSE(find_json_depth_excess("{\"a\": [[1]]}", 3));
  auto at = find_json_depth_excess("{\"a\": [[1]]}", 2);
  REQUIRE(at);
  CHECK(at->line == 1);
  CHECK(at->column == 8);  // the second '[' opens level 3
  at = find_json_depth_excess("{\n \"a\":\n  [[[1]]]}", 3);
  REQUIRE(at);
  CHECK(at->line == 3);
  CHECK(at->column == 5);
}

TEST_CASE("json depth: brackets inside strings and after escaped quotes do not count") {
  CHECK_FALSE(find_json_depth_excess(R"({"a": "[[[[[[{{{{"})", 1));
  CHECK_FALSE(find_json_depth_excess(R"({"a": "\"[[[[", "b": "\\"})", 1));
  CHECK(find_json_depth_excess(R"({"a": "\\", "b": [1]})", 1));
  // Closers never take the depth below zero, so stray ones do not hide a deep value later.
  CHECK(find_json_depth_excess("]]]]{{", 1));
}

TEST_CASE("json depth: check_json_depth names the file, line and the limit") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK_NOTHROW(check_json_depth("[[]]", "f.json"));
  REQUIRE_THROWS_WITH(check_json_depth("{\"x\":\n" + deep + "}", "f.json"),
                      "f.json:2: JSON nested deeper than the limit of 512 levels at column 512");
}

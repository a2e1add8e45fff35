#include <catch2/catch.hpp>

#include <string>

#include "engine/schema.h"

using namespace sg;

TEST_CASE("schema: index_of is case-insensitive and finds the first field of a name") {
  Schema s({{"Id", Type::Integer}, {"price", Type::Float}});
  s.add("PRICE", Type::String);  // a second field of the same name: the first still wins
  CHECK(s.index_of("id") == 0);
  CHECK(s.index_of("ID") == 0);
  CHECK(s.index_of("Price") == 1);
  CHECK_FALSE(s.index_of("qty"));
  CHECK_FALSE(Schema().index_of("id"));
  const Schema copy = s;
  CHECK(copy.index_of("pRiCe") == 1);
}

TEST_CASE("schema: a lookup compares a constant number of names, however wide the schema") {
  const size_t n = 100000;
  Schema s;
  for (size_t k = 0; k < n; ++k) s.add("c" + std::to_string(k), Type::Integer);
  const uint64_t before = Schema::names_compared();
  for (size_t k = 0; k < n; ++k) REQUIRE(s.index_of("C" + std::to_string(k)) == k);
  REQUIRE_FALSE(s.index_of("missing"));
  // A scan compared n^2/2 names (5e9 here); a hashed lookup about one per name.
  CHECK(Schema::names_compared() - before <= 4 * n);
}

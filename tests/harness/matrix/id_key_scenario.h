// A generated scenario with two integer columns, `id` (a sequence) and `k` (id modulo `modulus`),
// for matrix tests that need a small stream with keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "harness/workload/scenario.h"

namespace sg::test {

inline Scenario id_key_scenario(std::string name, std::string sql, size_t records, uint64_t seed,
                                int64_t modulus) {
  Scenario s;
  s.name = std::move(name);
  s.sql = std::move(sql);
  s.records = records;
  s.generator.seed = seed;
  FieldSpec id;
  id.name = "id";
  id.type = Type::Integer;
  id.distribution = "sequence";
  FieldSpec k;
  k.name = "k";
  k.type = Type::Integer;
  k.distribution = "modulo";
  k.modulus = modulus;
  s.generator.fields = {id, k};
  return s;
}

}  // namespace sg::test

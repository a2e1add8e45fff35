// The named, typed fields of a stream. Names are resolved against a Schema once, when a query
// is compiled; records carry values by position only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/value.h"

namespace sg {

struct Field {
  std::string name;
  Type type = Type::Null;
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields);

  size_t size() const { return fields_.size(); }
  const Field& operator[](size_t i) const { return fields_[i]; }
  const std::vector<Field>& fields() const { return fields_; }
  void add(std::string name, Type type);

  // Case-insensitive, as SQL identifiers are; the first field of that name. A hashed lookup, so
  // that reading a header of n names costs O(n), not O(n^2).
  std::optional<size_t> index_of(std::string_view name) const;
  // Names compared by index_of() on this thread so far: tests check the lookup stays constant
  // per name however wide the schema is.
  static uint64_t names_compared();
  // "a, b, c": for "unknown column" messages.
  std::string names() const;
  // "a:INTEGER,b:STRING"
  std::string to_string() const;
  // Parses "name:type,name:type" (the --schema flag). Throws std::invalid_argument naming the
  // offending entry.
  static Schema parse(std::string_view spec);

 private:
  void index_last();  // enters fields_.back() in by_name_, unless its name is there already

  std::vector<Field> fields_;
  std::unordered_map<std::string, size_t> by_name_;  // lower-cased name -> first field
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace sg

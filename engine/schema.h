// The named, typed fields of a stream. Names are resolved against a Schema once, when a query
// is compiled; records carry values by position only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  size_t size() const { return fields_.size(); }
  const Field& operator[](size_t i) const { return fields_[i]; }
  const std::vector<Field>& fields() const { return fields_; }
  void add(std::string name, Type type) { fields_.push_back({std::move(name), type}); }

  // Case-insensitive, as SQL identifiers are.
  std::optional<size_t> index_of(std::string_view name) const;
  // "a, b, c": for "unknown column" messages.
  std::string names() const;
  // "a:INTEGER,b:STRING"
  std::string to_string() const;
  // Parses "name:type,name:type" (the --schema flag). Throws std::invalid_argument naming the
  // offending entry.
  static Schema parse(std::string_view spec);

 private:
  std::vector<Field> fields_;
};

bool iequals(std::string_view a, std::string_view b);

}  // namespace sg

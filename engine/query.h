// A query compiled once against an input schema: names resolved, types checked, operators
// planned. It is immutable and may be shared by threads; each instantiate() gives a fresh,
// single-threaded Engine with its own state.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "engine/schema.h"
#include "engine/sql/sql_error.h"

namespace sg {

// How a strategy may split the input across partitions and still produce direct's output.
enum class Partitioning {
  Any,    // stateless (filter, projection): any split works, round robin is fine
  ByKey,  // stateful per key (GROUP BY, PARTITION BY): route by partition_hash()
  Single  // stateful over the whole stream (a ROWS window without PARTITION BY): one partition
};
const char* partitioning_name(Partitioning p);

class CompiledQuery {
 public:
  // Throws SqlError (with line:column, what was found and what was expected) on any error:
  // syntax, unknown column (naming the columns that exist), unknown function, wrong argument
  // count, type mismatch.
  static std::shared_ptr<const CompiledQuery> compile(std::string_view sql, const Schema& input);

  virtual ~CompiledQuery() = default;
  virtual const Schema& input_schema() const = 0;
  virtual const Schema& output_schema() const = 0;
  virtual const std::string& source_name() const = 0;  // the FROM table
  virtual std::unique_ptr<Engine> instantiate() const = 0;
  virtual Partitioning partitioning() const = 0;
  // Hash of the input record's partition key (GROUP BY or PARTITION BY values). Only meaningful
  // when partitioning() == ByKey.
  virtual uint64_t partition_hash(const Record& in) const = 0;
  // A short description of the plan, one operator per line.
  virtual std::string explain() const = 0;
};

}  // namespace sg

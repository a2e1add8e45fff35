// Helpers for the engine tests: build records tersely, run a query over them, and read the
// output rows back as text ("SYM1|2|3.5") so expected rows can be written by hand.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/query.h"
#include "engine/record.h"
#include "engine/schema.h"

namespace sg::test {

// The ends of the INTEGER range.
inline constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

inline Value I(int64_t v) {
  return Value::integer(v);
}
inline Value F(double v) {
  return Value::floating(v);
}
inline Value S(std::string_view v) {
  return Value::string(v);
}
inline Value T(int64_t ms) {
  return Value::timestamp(ms);
}
inline Value B(bool v) {
  return Value::boolean(v);
}
inline Value N() {
  return Value::null();
}

inline RecordPtr row(std::initializer_list<Value> values, int64_t event_time = 0,
                     int64_t offset = 0) {
  RecordMeta meta;
  meta.event_time = event_time;
  meta.offset = offset;
  return RecordPtr::make(values, meta);
}

inline std::string row_text(const Record& r) {
  std::string out;
  for (size_t i = 0; i < r.size(); ++i) {
    if (i) out += "|";
    out += r[i].to_string();
  }
  return out;
}

inline std::vector<std::string> texts(const Batch& batch) {
  std::vector<std::string> out;
  for (const RecordPtr& r : batch) out.push_back(row_text(*r));
  return out;
}

struct QueryRun {
  std::shared_ptr<const CompiledQuery> query;
  Batch out;                 // everything emitted, process() rows then finish() rows
  size_t before_finish = 0;  // how many rows came before finish()
  EngineStats stats;
  std::vector<std::string> rows() const { return texts(out); }
};

// Compiles `sql`, runs the inputs one record at a time (or as one batch), then finish().
inline QueryRun run_query(std::string_view sql, const Schema& schema,
                          const std::vector<RecordPtr>& inputs, bool as_batch = false) {
  QueryRun run;
  run.query = CompiledQuery::compile(sql, schema);
  auto engine = run.query->instantiate();
  if (as_batch) {
    engine->process_batch(inputs, run.out);
  } else {
    for (const RecordPtr& r : inputs) engine->process(r, run.out);
  }
  run.before_finish = run.out.size();
  engine->finish(run.out);
  run.stats = engine->stats();
  return run;
}

// Runs the inputs through process_batch() in batches of `batch_size`, then finish(); returns
// each row as text with its metadata, so that two runs can be compared exactly.
inline std::vector<std::string> run_in_batches(std::string_view sql, const Schema& schema,
                                               const std::vector<RecordPtr>& inputs,
                                               size_t batch_size) {
  auto engine = CompiledQuery::compile(sql, schema)->instantiate();
  Batch out;
  for (size_t i = 0; i < inputs.size(); i += batch_size) {
    const size_t n = std::min(batch_size, inputs.size() - i);
    engine->process_batch(std::span<const RecordPtr>(inputs.data() + i, n), out);
  }
  engine->finish(out);
  std::vector<std::string> rows;
  for (const RecordPtr& r : out) {
    rows.push_back(row_text(*r) + " @" + std::to_string(r->event_time()) + " #" +
                   std::to_string(r->offset()) + " k" + std::to_string(r->key_hash()));
  }
  return rows;
}

inline std::vector<std::string> run_rows(std::string_view sql, const Schema& schema,
                                         const std::vector<RecordPtr>& inputs) {
  return run_query(sql, schema, inputs).rows();
}

}  // namespace sg::test

// libFuzzer target: any bytes as a query, through the parser and the whole compile path, and, when
// the query compiles, through an engine on a few records. The only acceptable failures are a
// SqlError or an ArithmeticError that names a place; anything else (a crash, a sanitizer report,
// another exception) is a finding. A SELECT of integer expressions is also checked against their
// exact values in 128 bits (integer_oracle.h). Seeds: tests/engine/fuzz_corpus/sql. Run with
// scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/arithmetic_error.h"
#include "engine/query.h"
#include "engine/record.h"
#include "engine/sql/parser.h"
#include "engine/sql/sql_error.h"
#include "integer_oracle.h"

namespace {

// The shape of the seeds' market data, so that the corpus's queries compile.
const sg::Schema& schema() {
  static const sg::Schema s = sg::Schema::parse(
      "symbol:string,price:float,quantity:integer,trader_id:string,trade_time:timestamp,"
      "id:integer,value:integer,category:string,amount:float,order_id:integer,"
      "customer_id:integer,order_date:timestamp,total_amount:float");
  return s;
}

sg::RecordPtr record(int64_t i) {
  using sg::Value;
  sg::RecordMeta meta;
  meta.offset = i;
  meta.event_time = i * 7919 - 30'000;  // out of order, negative times included
  const std::string sym = "S" + std::to_string(i % 3);
  return sg::RecordPtr::make(
      {Value::string(sym), Value::floating(static_cast<double>(i) * 1.5 - 4), Value::integer(i - 2),
       Value::string("T" + std::to_string(i % 2)), Value::timestamp(meta.event_time),
       Value::integer(i), i % 4 == 0 ? Value::null() : Value::integer(100 - i * 30),
       Value::string(sym), Value::floating(-0.5 * static_cast<double>(i)), Value::integer(i),
       Value::integer(i % 2), Value::timestamp(meta.event_time),
       Value::floating(i == 3 ? 0.0 : 1e300)},
      meta);
}

// The oracle's record: integer columns at and near the edges of INT64 (quantity, id, value,
// order_id, customer_id), the others as record(1) has them.
sg::RecordPtr edge_record() {
  const sg::RecordPtr base = record(1);
  std::vector<sg::Value> v(base->values_span().begin(), base->values_span().end());
  v[2] = sg::Value::integer(INT64_MAX);
  v[5] = sg::Value::integer(INT64_MIN);
  v[6] = sg::Value::integer(-1);
  v[9] = sg::Value::integer(3037000500);  // its square is just above INT64_MAX
  v[10] = sg::Value::null();
  return sg::RecordPtr::make(v, base->meta());
}

// A plain SELECT of integer expressions over the edge record: each output is the exact value,
// NULL where the oracle says NULL, and an ArithmeticError exactly when one operation leaves INT64.
void check_integer_results(const sg::ast::SelectStatement& stmt, std::string_view sql) {
  if (stmt.where || !stmt.group_by.empty() || stmt.having || stmt.window) return;
  const sg::RecordPtr row = edge_record();
  std::vector<sg::fuzz::Exact> expected;
  bool overflows = false;
  for (const sg::ast::SelectItem& item : stmt.items) {
    if (item.star || !item.expr) return;
    const std::optional<sg::fuzz::Exact> e = sg::fuzz::exact(*item.expr, schema(), *row);
    if (!e) return;
    overflows = overflows || e->out_of_range;
    expected.push_back(*e);
  }
  sg::Batch out;
  try {
    sg::CompiledQuery::compile(sql, schema())->instantiate()->process(row, out);
  } catch (const sg::ArithmeticError&) {
    if (!overflows) std::abort();  // an overflow the exact values do not have
    return;
  }
  if (overflows || out.size() != 1 || out[0]->size() != expected.size()) std::abort();
  for (size_t i = 0; i < expected.size(); ++i) {
    const sg::Value& got = (*out[0])[i];
    if (expected[i].is_null ? !got.is_null()
                            : (got.type() != sg::Type::Integer || got.as_int() != expected[i].value)) {
      std::abort();  // a wrong number
    }
  }
}

template <class Error>
void check_error_names_a_place(const Error& e) {
  const std::string what = e.what();
  const std::string prefix =
      std::to_string(e.pos().line) + ":" + std::to_string(e.pos().column) + ": ";
  bool empty_message = false;
  if constexpr (std::is_same_v<Error, sg::SqlError>) empty_message = e.message().empty();
  if (e.pos().line < 1 || e.pos().column < 1 || what.rfind(prefix, 0) != 0 || empty_message) {
    std::abort();  // an error without a place is a finding too
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  try {
    const sg::ast::SelectStatement stmt = sg::parse_select(sql);
    sg::CompiledQuery::compile(sql, schema());  // the oracle needs a query that compiles
    check_integer_results(stmt, sql);
  } catch (const sg::SqlError& e) {
    check_error_names_a_place(e);
  }
  try {
    auto query = sg::CompiledQuery::compile(sql, schema());
    (void)query->explain();
    auto engine = query->instantiate();
    sg::Batch out;
    for (int64_t i = 0; i < 8; ++i) {
      const sg::RecordPtr r = record(i);
      (void)query->partition_hash(*r);
      engine->process(r, out);
    }
    sg::Batch batch;
    for (int64_t i = 8; i < 16; ++i) batch.push_back(record(i));
    engine->process_batch(batch, out);
    engine->finish(out);
    for (const sg::RecordPtr& r : out) (void)r->size();
  } catch (const sg::SqlError& e) {
    check_error_names_a_place(e);
  } catch (const sg::ArithmeticError& e) {
    check_error_names_a_place(e);
  }
  return 0;
}

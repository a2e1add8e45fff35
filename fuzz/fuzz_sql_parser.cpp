// libFuzzer target: any bytes as a query, through the parser and the whole compile path, and, when
// the query compiles, through an engine on a few records. The only acceptable failure is a
// SqlError that names a place; anything else (a crash, a sanitizer report, another exception)
// is a finding. Seeds: tests/engine/fuzz_corpus/sql. Run with scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/query.h"
#include "engine/record.h"
#include "engine/sql/parser.h"
#include "engine/sql/sql_error.h"

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

void check_error_names_a_place(const sg::SqlError& e) {
  const std::string what = e.what();
  const std::string prefix =
      std::to_string(e.pos().line) + ":" + std::to_string(e.pos().column) + ": ";
  if (e.pos().line < 1 || e.pos().column < 1 || what.rfind(prefix, 0) != 0 || e.message().empty()) {
    std::abort();  // an error without a place is a finding too
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view sql(reinterpret_cast<const char*>(data), size);
  try {
    sg::parse_select(sql);
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
  }
  return 0;
}

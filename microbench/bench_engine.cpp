// The engine alone, single-threaded, on records already in memory: the SQL work of each seed
// scenario, without any coordination. Records are generated before timing; each iteration
// runs a fresh engine over all of them in batches of 1,000 and counts the output rows (which
// are then released, as a sink would). items/s is input records per second.
//
//   build-engine/microbench/bench_engine                       1M records per iteration
//   build-engine/microbench/bench_engine --benchmark_filter=3a
#include <benchmark/benchmark.h>
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/query.h"

namespace sg {
namespace {

constexpr int64_t kRecords = 1'000'000;
constexpr size_t kBatch = 1000;

// orders(order_id, customer_id, order_date, total_amount): about half over 100.
std::vector<RecordPtr> make_orders(int64_t n) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> amount(1.0, 200.0);
  std::uniform_int_distribution<int64_t> customer(1, 10'000);
  std::vector<RecordPtr> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.event_time = 1'700'000'000'000 + i;
    meta.offset = i;
    out.push_back(RecordPtr::make({Value::integer(i), Value::integer(customer(rng)),
                                   Value::timestamp(meta.event_time), Value::floating(amount(rng))},
                                  meta));
  }
  return out;
}

// market_data(symbol 'SYM0'..'SYM99', price, quantity, trader_id 'TRADER0'..'TRADER19',
// timestamp, trade_time): one trade every 10 ms. Each record gets its own strings, as a reader
// parsing them would make.
std::vector<RecordPtr> make_market_data(int64_t n) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> symbol(0, 99), trader(0, 19);
  std::uniform_int_distribution<int64_t> quantity(1, 1000);
  std::normal_distribution<double> move(0.0, 0.5);
  std::vector<double> last_price(100);
  for (int s = 0; s < 100; ++s) last_price[s] = 50.0 + s;
  std::vector<RecordPtr> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const int s = symbol(rng);
    last_price[s] = std::max(1.0, last_price[s] + move(rng));
    RecordMeta meta;
    meta.event_time = 1'700'000'000'000 + i * 10;
    meta.offset = i;
    const Value ts = Value::timestamp(meta.event_time);
    out.push_back(RecordPtr::make({Value::string("SYM" + std::to_string(s)),
                                   Value::floating(last_price[s]), Value::integer(quantity(rng)),
                                   Value::string("TRADER" + std::to_string(trader(rng))), ts, ts},
                                  meta));
  }
  return out;
}

// test_stream(category: 50 distinct 8-character strings, amount).
std::vector<RecordPtr> make_test_stream(int64_t n) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> category(0, 49);
  std::uniform_real_distribution<double> amount(0.0, 1000.0);
  std::vector<RecordPtr> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "cat_%04d", category(rng));  // 8 characters
    RecordMeta meta;
    meta.offset = i;
    out.push_back(RecordPtr::make({Value::string(name), Value::floating(amount(rng))}, meta));
  }
  return out;
}

// test(id, value 0..99).
std::vector<RecordPtr> make_test(int64_t n) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> value(0, 99);
  std::vector<RecordPtr> out;
  out.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    RecordMeta meta;
    meta.offset = i;
    out.push_back(RecordPtr::make({Value::integer(i), Value::integer(value(rng))}, meta));
  }
  return out;
}

const Schema& orders_schema() {
  static const Schema s =
      Schema::parse("order_id:integer,customer_id:integer,order_date:timestamp,total_amount:float");
  return s;
}
const Schema& market_schema() {
  static const Schema s = Schema::parse(
      "symbol:string,price:float,quantity:integer,trader_id:string,timestamp:timestamp,"
      "trade_time:timestamp");
  return s;
}
const Schema& test_stream_schema() {
  static const Schema s = Schema::parse("category:string,amount:float");
  return s;
}
const Schema& test_schema() {
  static const Schema s = Schema::parse("id:integer,value:integer");
  return s;
}

// Generated once per data set and size, outside any timing.
const std::vector<RecordPtr>& data(const std::string& name, int64_t n) {
  static std::map<std::pair<std::string, int64_t>, std::vector<RecordPtr>> cache;
  auto& slot = cache[{name, n}];
  if (slot.empty()) {
    if (name == "orders")
      slot = make_orders(n);
    else if (name == "market_data")
      slot = make_market_data(n);
    else if (name == "test_stream")
      slot = make_test_stream(n);
    else
      slot = make_test(n);
  }
  return slot;
}

void run(benchmark::State& state, const char* sql, const Schema& schema, const char* dataset) {
  const auto query = CompiledQuery::compile(sql, schema);
  const std::vector<RecordPtr>& in = data(dataset, state.range(0));
  Batch out;
  out.reserve(kBatch * 2);
  uint64_t rows_out = 0;
  for (auto _ : state) {
    // A no-op outside valgrind; under `valgrind --tool=callgrind --collect-atstart=no` it counts
    // the instructions of the engine work alone, without the data generation.
    CALLGRIND_TOGGLE_COLLECT;
    auto engine = query->instantiate();
    for (size_t i = 0; i < in.size(); i += kBatch) {
      const size_t n = std::min(kBatch, in.size() - i);
      engine->process_batch(std::span<const RecordPtr>(in.data() + i, n), out);
      rows_out += out.size();
      out.clear();
    }
    engine->finish(out);
    rows_out += out.size();
    out.clear();
    CALLGRIND_TOGGLE_COLLECT;
    benchmark::DoNotOptimize(rows_out);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.counters["rows_out_per_input"] =
      static_cast<double>(rows_out) / static_cast<double>(state.iterations() * state.range(0));
}

#define SCENARIO2                                                                                 \
  "SELECT trader_id, symbol, COUNT(*) as trade_count, AVG(price) as avg_price, SUM(quantity) as " \
  "total_quantity, SUM(price * quantity) as total_value FROM market_data GROUP BY trader_id, "    \
  "symbol"
#define FIVE_AGGREGATES                                                              \
  "SELECT category, COUNT(*) as cnt, SUM(amount) as total, AVG(amount) as avg_amt, " \
  "MIN(amount) as min_amt, MAX(amount) as max_amt FROM test_stream GROUP BY category"

void Scenario0_FilterProjection(benchmark::State& state) {
  run(state,
      "SELECT order_id, customer_id, order_date, total_amount FROM orders WHERE total_amount > "
      "100",
      orders_schema(), "orders");
}
void Scenario1_RowsWindow(benchmark::State& state) {
  run(state,
      "SELECT symbol, price, AVG(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION BY symbol "
      "ORDER BY timestamp) as moving_avg, MIN(price) OVER (ROWS WINDOW BUFFER 100 ROWS PARTITION "
      "BY symbol ORDER BY timestamp) as min_price, MAX(price) OVER (ROWS WINDOW BUFFER 100 ROWS "
      "PARTITION BY symbol ORDER BY timestamp) as max_price FROM market_data",
      market_schema(), "market_data");
}
void Scenario2_GroupByContinuous(benchmark::State& state) {
  run(state, SCENARIO2, market_schema(), "market_data");
}
void Scenario3a_TumblingFinal(benchmark::State& state) {
  run(state, SCENARIO2 " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)", market_schema(),
      "market_data");
}
void Scenario3b_TumblingChanges(benchmark::State& state) {
  run(state, SCENARIO2 " WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE) EMIT CHANGES",
      market_schema(), "market_data");
}
void GroupBy5Aggregates_EmitFinal(benchmark::State& state) {
  run(state, FIVE_AGGREGATES " EMIT FINAL", test_stream_schema(), "test_stream");
}
void GroupBy5Aggregates_Continuous(benchmark::State& state) {
  run(state, FIVE_AGGREGATES, test_stream_schema(), "test_stream");
}
void SimpleFilter_Test(benchmark::State& state) {
  run(state, "SELECT id, value FROM test WHERE value > 50", test_schema(), "test");
}

// SG_BENCH_RECORDS=n overrides the records per iteration (e.g. 100000 to fit in the caches).
int64_t records_per_iteration() {
  const char* env = std::getenv("SG_BENCH_RECORDS");
  return env ? std::max<int64_t>(1, std::atoll(env)) : kRecords;
}

#define ENGINE_BENCH(fn) BENCHMARK(fn)->Arg(records_per_iteration())->Unit(benchmark::kMillisecond)
ENGINE_BENCH(Scenario0_FilterProjection);
ENGINE_BENCH(Scenario1_RowsWindow);
ENGINE_BENCH(Scenario2_GroupByContinuous);
ENGINE_BENCH(Scenario3a_TumblingFinal);
ENGINE_BENCH(Scenario3b_TumblingChanges);
ENGINE_BENCH(GroupBy5Aggregates_EmitFinal);
ENGINE_BENCH(GroupBy5Aggregates_Continuous);
ENGINE_BENCH(SimpleFilter_Test);

}  // namespace
}  // namespace sg

BENCHMARK_MAIN();

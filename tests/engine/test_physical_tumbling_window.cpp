#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/physical_tumbling_window.h"
#include "query_test_util.h"

using namespace sg;
using namespace sg::test;
using Rows = std::vector<std::string>;

namespace {
const Schema kSchema = Schema::parse("k:string,v:integer,t:timestamp");

const char* kFinal =
    "SELECT k, COUNT(*) AS n, SUM(v) AS total FROM s GROUP BY k WINDOW TUMBLING (t, INTERVAL "
    "'10' SECOND)";

RecordPtr at(const char* k, int64_t v, int64_t t, int64_t offset = 0) {
  return row({S(k), I(v), T(t)}, t, offset);
}

struct Stepper {
  std::shared_ptr<const CompiledQuery> query;
  std::unique_ptr<Engine> engine;
  Batch out;
  Stepper(const std::string& sql, const Schema& schema = kSchema)
      : query(CompiledQuery::compile(sql, schema)), engine(query->instantiate()) {}
  // Rows emitted by this one record.
  Rows push(const RecordPtr& r) {
    out.clear();
    engine->process(r, out);
    return texts(out);
  }
  Rows finish() {
    out.clear();
    engine->finish(out);
    return texts(out);
  }
};
}  // namespace

TEST_CASE("tumbling: floor of negative times") {
  REQUIRE(tumbling_window_start(0, 10) == 0);
  REQUIRE(tumbling_window_start(9, 10) == 0);
  REQUIRE(tumbling_window_start(10, 10) == 10);
  REQUIRE(tumbling_window_start(-1, 10) == -10);
  REQUIRE(tumbling_window_start(-10, 10) == -10);
  REQUIRE(tumbling_window_start(-11, 10) == -20);
}

TEST_CASE("tumbling EMIT FINAL: a window closes when a record reaches its end") {
  Stepper s(kFinal);
  REQUIRE(s.push(at("a", 1, 0)).empty());
  REQUIRE(s.push(at("b", 2, 5000)).empty());
  REQUIRE(s.push(at("a", 3, 9999, 2)).empty());
  // t = 10000 is the end of [0, 10000): it belongs to the next window and closes this one.
  REQUIRE(s.push(at("a", 4, 10000, 3)) == Rows{"a|2|4", "b|1|2"});
  REQUIRE(s.out[0]->event_time() == 9999);  // window end - 1
  REQUIRE(s.out[0]->offset() == 3);         // the record that closed the window
  REQUIRE(s.out[1]->offset() == 3);
  REQUIRE(s.out[0]->key_hash() == s.query->partition_hash(*at("a", 0, 0)));
  REQUIRE(s.push(at("b", 5, 15000)).empty());
  REQUIRE(s.push(at("a", 6, 25000)) == Rows{"a|1|4", "b|1|5"});
  REQUIRE(s.out[0]->event_time() == 19999);
  REQUIRE(s.finish() == Rows{"a|1|6"});
  REQUIRE(s.out[0]->event_time() == 29999);
  REQUIRE(s.out[0]->offset() == 0);  // closed by the end of stream: the group's latest input
  REQUIRE(s.engine->stats().late_records == 0);
  REQUIRE(s.engine->stats().records_out == 5);
}

TEST_CASE("tumbling: a record for a closed window is late: dropped and counted") {
  Stepper s(kFinal);
  s.push(at("a", 1, 1000));
  s.push(at("a", 2, 12000));  // closes [0, 10000)
  REQUIRE(s.push(at("a", 100, 9999)).empty());
  REQUIRE(s.engine->stats().late_records == 1);
  REQUIRE(s.push(at("b", 7, 10000)).empty());  // still open: not late
  REQUIRE(s.finish() == Rows{"a|1|2", "b|1|7"});
  REQUIRE(s.engine->stats().late_records == 1);
  REQUIRE(s.engine->stats().records_in == 4);
}

TEST_CASE("tumbling: allowed lateness keeps windows open behind the largest time") {
  Stepper s(std::string(kFinal) + " ALLOWED LATENESS INTERVAL '5' SECOND");
  s.push(at("a", 1, 1000));
  REQUIRE(s.push(at("a", 2, 12000)).empty());           // watermark 7000: [0,10000) stays open
  REQUIRE(s.push(at("a", 3, 9000)).empty());            // in time
  REQUIRE(s.push(at("a", 4, 14999)).empty());           // watermark 9999
  REQUIRE(s.push(at("b", 5, 15000)) == Rows{"a|2|4"});  // watermark 10000 closes [0,10000)
  REQUIRE(s.push(at("a", 6, 9500)).empty());            // late now
  REQUIRE(s.engine->stats().late_records == 1);
  REQUIRE(s.finish() == Rows{"a|2|6", "b|1|5"});
}

TEST_CASE("tumbling: out-of-order records within the lateness open older windows in order") {
  Stepper s(std::string(kFinal) + " ALLOWED LATENESS INTERVAL '1' MINUTE");
  s.push(at("a", 1, 35000));
  s.push(at("a", 2, 5000));   // an older window, opened before the newest
  s.push(at("a", 3, 21000));  // between the two
  s.push(at("b", 4, 5001));
  REQUIRE(s.push(at("a", 5, 75000)) == Rows{"a|1|2", "b|1|4"});  // watermark 15000
  REQUIRE(s.finish() == Rows{"a|1|3", "a|1|1", "a|1|5"});        // windows in time order
}

TEST_CASE("tumbling EMIT CHANGES: each record emits its group's updated row") {
  Stepper s(std::string(kFinal) + " EMIT CHANGES");
  REQUIRE(s.push(at("a", 1, 0)) == Rows{"a|1|1"});
  REQUIRE(s.push(at("a", 2, 1000)) == Rows{"a|2|3"});
  REQUIRE(s.out[0]->event_time() == 9999);
  REQUIRE(s.push(at("b", 3, 2000)) == Rows{"b|1|3"});
  REQUIRE(s.push(at("a", 4, 10000)) == Rows{"a|1|4"});  // a new window starts from scratch
  REQUIRE(s.push(at("a", 5, 3000)).empty());            // late
  REQUIRE(s.finish().empty());
  REQUIRE(s.engine->stats().late_records == 1);
  REQUIRE(s.engine->stats().records_out == 4);
}

TEST_CASE("tumbling: the record's event time when no time column is named") {
  Stepper s("SELECT k, COUNT(*) FROM s GROUP BY k WINDOW TUMBLING (INTERVAL '1' SECOND)");
  // The t column says otherwise; the metadata's event time decides.
  REQUIRE(s.push(row({S("a"), I(1), T(999999)}, 100)).empty());
  REQUIRE(s.push(row({S("a"), I(1), T(0)}, 900)).empty());
  REQUIRE(s.push(row({S("a"), I(1), T(0)}, 1000)) == Rows{"a|2"});
  REQUIRE(s.out[0]->event_time() == 999);
  REQUIRE(s.finish() == Rows{"a|1"});
}

TEST_CASE("tumbling: negative times, NULL times, empty input, one group without GROUP BY") {
  Stepper s("SELECT COUNT(*), MIN(v) FROM s WINDOW TUMBLING (t, INTERVAL '10' SECOND)");
  REQUIRE(s.query->partitioning() == Partitioning::Single);
  s.push(at("a", 1, -1));
  s.push(at("a", 2, -10000));
  REQUIRE(s.push(row({S("a"), I(9), N()})).empty());  // no time: cannot be placed, counted late
  REQUIRE(s.push(at("a", 3, 0)) == Rows{"2|1"});
  REQUIRE(s.out[0]->event_time() == -1);
  REQUIRE(s.finish() == Rows{"1|3"});
  REQUIRE(s.engine->stats().late_records == 1);

  Stepper empty(kFinal);
  REQUIRE(empty.finish().empty());
}

TEST_CASE("tumbling: HAVING and WHERE, rows WHERE drops still advance the watermark") {
  Stepper s(
      "SELECT k, SUM(v) FROM s WHERE v > 0 GROUP BY k HAVING SUM(v) > 2 WINDOW TUMBLING (t, "
      "INTERVAL '10' SECOND)");
  s.push(at("a", 1, 0));
  s.push(at("b", 5, 1));
  REQUIRE(s.push(at("c", -1, 10000)) == Rows{"b|5"});  // filtered out, yet closes the window
}

TEST_CASE("tumbling: the window a record just went to is late once a filtered record closes it") {
  // The engine remembers the last record's window to skip the window search; a window closed by
  // a record WHERE drops (which opens no window of its own) must not be found there again.
  Stepper s(
      "SELECT k, COUNT(*) AS n FROM s WHERE v > 0 GROUP BY k WINDOW TUMBLING (t, INTERVAL '10' "
      "SECOND)");
  s.push(at("a", 1, 1000));
  REQUIRE(s.push(at("a", -1, 10000)) == Rows{"a|1"});  // dropped, yet closes [0, 10000)
  REQUIRE(s.push(at("a", 1, 9999)).empty());           // [0, 10000) is closed: late
  REQUIRE(s.engine->stats().late_records == 1);
  REQUIRE(s.push(at("a", 1, 10001)).empty());
  REQUIRE(s.finish() == Rows{"a|1"});
}

TEST_CASE("tumbling: the seed's scenario 3a and 3b queries over 1-minute windows") {
  const Schema market = Schema::parse(
      "symbol:string,price:float,quantity:integer,trader_id:string,trade_time:timestamp");
  const std::string base =
      "SELECT trader_id, symbol, COUNT(*) as trade_count, AVG(price) as avg_price, "
      "SUM(quantity) as total_quantity, SUM(price * quantity) as total_value FROM market_data "
      "GROUP BY trader_id, symbol WINDOW TUMBLING (trade_time, INTERVAL '1' MINUTE)";
  std::vector<RecordPtr> in;
  for (int i = 0; i < 30; ++i) {  // 5 s apart: 12 per minute
    in.push_back(
        row({S(i % 2 ? "SYM1" : "SYM0"), F(10.0 + i), I(1), S("T0"), T(i * 5000)}, i * 5000, i));
  }
  const QueryRun final_run = run_query(base, market, in);
  REQUIRE(final_run.rows() == Rows{"T0|SYM0|6|15|6|90", "T0|SYM1|6|16|6|96", "T0|SYM0|6|27|6|162",
                                   "T0|SYM1|6|28|6|168", "T0|SYM0|3|36|3|108",
                                   "T0|SYM1|3|37|3|111"});
  REQUIRE(final_run.before_finish == 4);
  const QueryRun changes = run_query(base + " EMIT CHANGES", market, in);
  REQUIRE(changes.out.size() == 30);
  REQUIRE(changes.rows()[11] == "T0|SYM1|6|16|6|96");
}

TEST_CASE(
    "tumbling: ever-new keys across many windows stay correct as the key dictionary "
    "sheds old keys") {
  // 150,000 distinct keys, 1,000 per 1-second window, each seen twice in its window.
  Stepper s(
      "SELECT k, COUNT(*), SUM(v) FROM s GROUP BY k WINDOW TUMBLING (t, INTERVAL '1' "
      "SECOND)");
  std::vector<RecordPtr> in;
  for (int64_t i = 0; i < 150'000; ++i) {
    const std::string key = "key-" + std::to_string(i);
    const int64_t t = (i / 1000) * 1000;
    in.push_back(row({S(key), I(i), T(t)}, t));
    in.push_back(row({S(key), I(1), T(t + 500)}, t + 500));
  }
  Batch out;
  for (const RecordPtr& r : in) s.engine->process(r, out);
  s.engine->finish(out);
  REQUIRE(out.size() == 150'000);
  for (size_t i = 0; i < out.size(); i += 4999) {
    REQUIRE(row_text(*out[i]) == "key-" + std::to_string(i) + "|2|" + std::to_string(i + 1));
  }
  REQUIRE(s.engine->stats().late_records == 0);
}

// EMIT FINAL defers a batch's aggregate updates until a window closes or the batch ends
// (physical_tumbling_window.cpp): batches of any size must give exactly the rows, order and
// metadata of one record at a time, with windows closing mid-batch and late records dropped.
// With 300 keys a window outgrows the group slots of every window before it in mid-batch,
// which moves the states that pending updates point into (window_groups.h).
TEST_CASE("tumbling EMIT FINAL: batches of any size emit what single records emit") {
  const uint64_t keys = GENERATE(13, 300);
  std::vector<RecordPtr> in;
  uint64_t x = 12345;
  for (int64_t i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const int64_t jitter = static_cast<int64_t>((x >> 33) % 4000);  // disorder up to 4 s
    const int64_t t = i * 20 - jitter;
    const std::string key = "key" + std::to_string((x >> 20) % keys);
    in.push_back(row({S(key), (x >> 40) % 10 == 0 ? N() : I(static_cast<int64_t>(x >> 45) % 100),
                      T(t)},
                     t, i));
  }
  for (const char* lateness : {"", " ALLOWED LATENESS INTERVAL '2' SECOND"}) {
    const std::string sql =
        "SELECT k, COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS total, AVG(v) AS mean, MIN(v) AS lo, "
        "MAX(v) AS hi FROM s GROUP BY k WINDOW TUMBLING (t, INTERVAL '10' SECOND)" +
        std::string(lateness);
    const auto one_by_one = run_in_batches(sql, kSchema, in, 1);
    REQUIRE(one_by_one.size() > 5 * std::min<uint64_t>(keys, 200));  // many windows closed
    for (size_t batch : {7, 100, 1000, 3000}) {
      INFO(keys << " keys, batch size " << batch << lateness);
      REQUIRE(run_in_batches(sql, kSchema, in, batch) == one_by_one);
    }
  }
}

TEST_CASE("tumbling: GROUP BY keys alone, with no aggregate, emits each key once per window") {
  // No aggregate states at all: the shared group emitter must not touch them (UBSan, fuzzer).
  Stepper s("SELECT k FROM s GROUP BY k WINDOW TUMBLING (t, INTERVAL '10' SECOND)");
  s.push(at("a", 1, 0));
  s.push(at("b", 2, 1000));
  s.push(at("a", 3, 2000));
  REQUIRE(s.push(at("a", 4, 10000)) == Rows{"a", "b"});  // the first window closes
  REQUIRE(s.finish() == Rows{"a"});
}

// Differential tests: the engine and SQLite run the same queries over the same generated data
// (several seeds, with NULLs and negative values) and must agree row for row.
//
//   filters and projections  ours in arrival order = SQLite ... ORDER BY seq
//   GROUP BY, EMIT FINAL     ours = SQLite's GROUP BY (as sets)
//   GROUP BY, continuous     ours, last row per group = SQLite's GROUP BY
//   ROWS windows             the same SQL; SQLite orders the frame by the insertion sequence
//   tumbling windows         ours (window start taken from the row's event time) = SQLite's
//                            GROUP BY of the bucket ts - ts % size (times are non-negative)
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "query_test_util.h"
#include "sqlite_oracle.h"

using namespace sg;
using namespace sg::test;

namespace {

const Schema kSchema =
    Schema::parse("seq:integer,k:string,g:integer,x:float,y:integer,ts:timestamp");
constexpr size_t kRows = 1500;
const uint64_t kSeeds[] = {1, 2, 3, 4};

// Keys from a small alphabet (one longer than 8 bytes), small signed integers (zeros included,
// for division by zero), floats with two decimals, about 10% NULLs in each nullable column.
// Times grow irregularly with up to 400 ms of disorder: never late under 1 s of lateness.
std::vector<RecordPtr> generate(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const char* keys[] = {"a", "b", "c", "dd", "a-longer-key"};
  const auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  const auto between = [&](int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  std::vector<RecordPtr> rows;
  int64_t clock = 0;
  for (size_t i = 0; i < kRows; ++i) {
    clock += between(0, 300);
    const int64_t ts = clock + between(0, 400);
    RecordMeta meta;
    meta.event_time = ts;
    meta.offset = static_cast<int64_t>(i);
    rows.push_back(RecordPtr::make(
        {Value::integer(static_cast<int64_t>(i)),
         chance(10) ? Value::null() : Value::string(keys[rng() % 5]),
         chance(10) ? Value::null() : Value::integer(between(-3, 3)),
         chance(15) ? Value::null()
                    : Value::floating(static_cast<double>(between(-10000, 10000)) / 100.0),
         chance(10) ? Value::null() : Value::integer(between(-50, 50)), Value::timestamp(ts)},
        meta));
  }
  return rows;
}

// The last row of each group of a continuous query's output; the group is the first
// `key_columns` values.
std::vector<ValueRow> last_per_group(const std::vector<ValueRow>& rows, size_t key_columns) {
  std::map<std::string, ValueRow> last;
  for (const ValueRow& row : rows) {
    const ValueRow key(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(key_columns));
    last[describe(key) + "/" + std::to_string(key_columns)] = row;
  }
  std::vector<ValueRow> out;
  for (auto& [key, row] : last) out.push_back(row);
  return out;
}

struct Fixture {
  std::vector<RecordPtr> input;
  SqliteOracle sqlite;
  explicit Fixture(uint64_t seed) : input(generate(seed)) { sqlite.load("t", kSchema, input); }
};

}  // namespace

TEST_CASE("differential: filters and projections match SQLite") {
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"x * 2 + y, y / 3, y % 4, -x, x - y, y / g, y % g, x / g, 1.5 * y",
       "x > 0 AND y IS NOT NULL"},
      {"k, g, ts", "k = 'b' OR g < 0"},
      {"y, x", "NOT (y > 2) OR x IS NULL"},
      {"x, y", "y < x AND g <> 0"},
      {"k", "k IS NULL OR k >= 'c'"},
      {"x > y, g = 1, k IS NULL, (y > 0) AND (x > 0), (y > 0) OR (x > 0), NOT (g = 0)", "1 = 1"},
      {"y * y - g * 3 + 7, (y + g) / (g - 1)", "(g + 1) * 2 > y % 5"},
      {"*", "x >= -50.5 AND x <= 50.25"},
      {"ts - seq, ts / 1000", "ts % 7 = 3 OR seq < 10"},
  };
  for (uint64_t seed : kSeeds) {
    Fixture f(seed);
    for (const auto& [list, where] : queries) {
      const std::string sql = "SELECT seq, " + list + " FROM t WHERE " + where;
      INFO("seed " << seed << ": " << sql);
      const QueryRun ours = run_query(sql, kSchema, f.input);
      REQUIRE(difference(rows_of(ours.out), f.sqlite.query(sql + " ORDER BY seq")) == "");
    }
  }
}

TEST_CASE("differential: GROUP BY with the five aggregates matches SQLite") {
  struct Case {
    std::string sql;
    size_t key_columns;
    bool continuous_comparable;  // no HAVING: the last continuous row per group is the final one
  };
  const std::vector<Case> cases = {
      {"SELECT k, g, COUNT(*), COUNT(x), SUM(y), SUM(x), AVG(x), AVG(y), MIN(x), MAX(y), MIN(k), "
       "MAX(ts) FROM t GROUP BY k, g",
       2, true},
      {"SELECT y % 3, COUNT(*), SUM(x) FROM t WHERE x > -50 GROUP BY y % 3 HAVING COUNT(*) > 5", 1,
       false},
      {"SELECT g, SUM(y * 2 + 1), MAX(x - y), MIN(x), COUNT(y) FROM t GROUP BY g HAVING SUM(y) > "
       "0 OR MIN(x) < -90",
       1, false},
      {"SELECT k, SUM(x) / COUNT(*), MAX(y) - MIN(y) FROM t WHERE g IS NOT NULL GROUP BY k", 1,
       true},
      {"SELECT COUNT(*), SUM(x), MIN(y), AVG(y), MAX(k) FROM t", 0, true},
      {"SELECT COUNT(*), SUM(x), MIN(y) FROM t WHERE y > 1000", 0, false},
  };
  for (uint64_t seed : kSeeds) {
    Fixture f(seed);
    for (const Case& c : cases) {
      INFO("seed " << seed << ": " << c.sql);
      std::vector<ValueRow> expected = f.sqlite.query(c.sql);
      sort_rows(expected);
      std::vector<ValueRow> final_rows =
          rows_of(run_query(c.sql + " EMIT FINAL", kSchema, f.input).out);
      sort_rows(final_rows);
      REQUIRE(difference(final_rows, expected) == "");
      if (c.continuous_comparable) {
        const QueryRun continuous = run_query(c.sql, kSchema, f.input);
        REQUIRE(continuous.before_finish == continuous.out.size());
        std::vector<ValueRow> last = last_per_group(rows_of(continuous.out), c.key_columns);
        sort_rows(last);
        REQUIRE(difference(last, expected) == "");
      }
    }
  }
}

TEST_CASE("differential: ROWS windows match SQLite's ROWS BETWEEN n-1 PRECEDING") {
  const std::vector<std::string> partitions = {"", "PARTITION BY k ", "PARTITION BY g "};
  const std::vector<int> frames = {1, 3, 10};
  for (uint64_t seed : kSeeds) {
    Fixture f(seed);
    for (const std::string& partition : partitions) {
      for (int n : frames) {
        const std::string over = " OVER (" + partition + "ORDER BY seq ROWS BETWEEN " +
                                 std::to_string(n - 1) + " PRECEDING AND CURRENT ROW)";
        for (const std::string where : {"", " WHERE y > -20"}) {
          const std::string sql = "SELECT seq, k, SUM(x)" + over + ", AVG(y)" + over + ", MIN(x)" +
                                  over + ", MAX(x)" + over + ", COUNT(*)" + over + ", COUNT(x)" +
                                  over + ", SUM(y)" + over + ", MAX(k)" + over + ", x - AVG(x)" +
                                  over + " FROM t" + where;
          INFO("seed " << seed << ": " << sql);
          const QueryRun ours = run_query(sql, kSchema, f.input, true);
          REQUIRE(difference(rows_of(ours.out), f.sqlite.query(sql + " ORDER BY seq")) == "");
        }
      }
    }
  }
}

TEST_CASE("differential: tumbling windows match SQLite's GROUP BY of the time bucket") {
  struct Case {
    std::string ours;    // without the window clause
    std::string sqlite;  // bucket first
    int64_t size_ms;
    std::string window;
  };
  const std::vector<Case> cases = {
      {"SELECT k, COUNT(*), SUM(y), MIN(x), MAX(x), AVG(x) FROM t GROUP BY k",
       "SELECT ts - (ts % 1000) AS bucket, k, COUNT(*), SUM(y), MIN(x), MAX(x), AVG(x) FROM t "
       "GROUP BY bucket, k",
       1000, " WINDOW TUMBLING (ts, INTERVAL '1' SECOND)"},
      {"SELECT g, k, SUM(x * y), COUNT(x) FROM t WHERE y > -30 GROUP BY g, k",
       "SELECT ts - (ts % 250) AS bucket, g, k, SUM(x * y), COUNT(x) FROM t WHERE y > -30 GROUP "
       "BY bucket, g, k",
       250, " WINDOW TUMBLING (ts, INTERVAL '250' MILLISECOND)"},
      // The record's event time (the generator sets it to ts) instead of a column.
      {"SELECT COUNT(*), MAX(y) FROM t",
       "SELECT ts - (ts % 5000) AS bucket, COUNT(*), MAX(y) FROM t GROUP BY bucket", 5000,
       " WINDOW TUMBLING (INTERVAL '5' SECOND)"},
  };
  const std::string lateness = " ALLOWED LATENESS INTERVAL '1' SECOND";
  for (uint64_t seed : kSeeds) {
    Fixture f(seed);
    for (const Case& c : cases) {
      INFO("seed " << seed << ": " << c.ours << c.window);
      std::vector<ValueRow> expected = f.sqlite.query(c.sqlite);
      sort_rows(expected);
      const auto with_bucket = [&](const Batch& batch) {
        std::vector<ValueRow> rows;
        for (const RecordPtr& r : batch) {
          ValueRow row{Value::integer(r->event_time() + 1 - c.size_ms)};  // event time = end - 1
          for (const Value& v : r->values_span()) row.push_back(v);
          rows.push_back(std::move(row));
        }
        return rows;
      };
      const QueryRun final_run = run_query(c.ours + c.window + lateness, kSchema, f.input);
      REQUIRE(final_run.stats.late_records == 0);
      std::vector<ValueRow> final_rows = with_bucket(final_run.out);
      sort_rows(final_rows);
      REQUIRE(difference(final_rows, expected) == "");

      const QueryRun changes =
          run_query(c.ours + c.window + lateness + " EMIT CHANGES", kSchema, f.input);
      REQUIRE(changes.out.size() == changes.before_finish);
      const size_t keys = c.ours.find("GROUP BY g, k") != std::string::npos ? 3
                          : c.ours.find("GROUP BY k") != std::string::npos  ? 2
                                                                            : 1;
      std::vector<ValueRow> last = last_per_group(with_bucket(changes.out), keys);
      sort_rows(last);
      REQUIRE(difference(last, expected) == "");
    }
  }
}

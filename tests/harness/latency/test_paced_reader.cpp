// The open-loop source and the latency sink on their own: the schedule's intended times, a
// reader that never releases early and never drops, its backlog, and the sink's arithmetic.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <thread>

#include "harness/io/digest_writer.h"
#include "harness/job/phase_clock.h"
#include "harness/latency/latency_writer.h"
#include "harness/latency/paced_reader.h"
#include "strategy_test_support.h"

using namespace sg;
using namespace sg::test;

namespace {
int64_t now_ns() {
  return static_cast<int64_t>(PhaseClock::now_ns());
}
}  // namespace

TEST_CASE("latency: a constant schedule spaces records evenly, a Poisson one at the mean gap") {
  const ReleaseSchedule constant(1001, 4000.0, Arrival::Constant);
  REQUIRE(constant.offset_ns(0) == 0);
  REQUIRE(constant.offset_ns(1) == 250'000);
  REQUIRE(constant.offset_ns(1000) == 250'000'000);
  REQUIRE(constant.span_ns() == 250'000'000);

  const ReleaseSchedule poisson(100001, 1e6, Arrival::Poisson, 7);
  int64_t previous = 0;
  size_t equal_gaps = 0;
  for (size_t i = 1; i < poisson.size(); ++i) {
    REQUIRE(poisson.offset_ns(i) >= previous);
    equal_gaps += poisson.offset_ns(i) - previous == 1000;
    previous = poisson.offset_ns(i);
  }
  // 100,000 exponential gaps of mean 1 us: their mean is within 2% (about 6 sigma).
  REQUIRE(static_cast<double>(poisson.span_ns()) / 100000.0 == Approx(1000.0).epsilon(0.02));
  REQUIRE(equal_gaps < 1000);  // not a constant schedule in disguise
  REQUIRE(ReleaseSchedule(10, 1e6, Arrival::Poisson, 7).offset_ns(9) == poisson.offset_ns(9));

  REQUIRE_THROWS_WITH(ReleaseSchedule(10, 0.0, Arrival::Constant), Catch::Contains("positive"));
  REQUIRE(parse_arrival("poisson") == Arrival::Poisson);
  REQUIRE(!parse_arrival("bursty"));
}

TEST_CASE("latency: the paced reader releases no record before its time and drops none") {
  const SharedDataset data = make_trades(200);
  auto schedule = std::make_shared<ReleaseSchedule>(200, 20000.0, Arrival::Constant);
  SourceStats stats;
  PacedReader reader(data, schedule, stats);
  size_t read = 0;
  bool end = false;
  while (!end) {
    const std::optional<ReadView> view = reader.read_view(16);
    REQUIRE(view);
    const int64_t after = now_ns();
    REQUIRE(!view->records.empty());
    const RecordPtr& last = view->records.back();
    REQUIRE(last->offset() == static_cast<int64_t>(read + view->records.size() - 1));
    REQUIRE(after >=
            schedule->start_ns() + schedule->offset_ns(static_cast<size_t>(last->offset())));
    read += view->records.size();
    end = view->end_of_stream;
  }
  REQUIRE(read == 200);
  REQUIRE(stats.released == 200);
  REQUIRE(reader.records_read() == 200);
  REQUIRE(stats.last_release_ns >= schedule->start_ns() + schedule->span_ns());
  REQUIRE(stats.release_lag.count() == stats.releases);
  const std::optional<ReadView> after_end = reader.read_view(16);
  REQUIRE(after_end);
  REQUIRE(after_end->records.empty());
  REQUIRE(after_end->end_of_stream);
}

TEST_CASE("latency: a source not read for a while releases what is due at once, and says so") {
  const SharedDataset data = make_trades(3000);
  auto schedule = std::make_shared<ReleaseSchedule>(3000, 100000.0, Arrival::Constant);
  SourceStats stats;
  PacedReader reader(data, schedule, stats);
  Batch out;
  REQUIRE(reader.read(10, out).count == 1);  // the first record is due at the start
  std::this_thread::sleep_for(std::chrono::milliseconds(10));  // 1,000 records fall due
  const ReadResult r = reader.read(10, out);
  REQUIRE(r.count == 10);  // at most max, the rest wait: none dropped
  REQUIRE(stats.max_backlog >= 1000 - 1);
  while (!reader.read(500, out).end_of_stream) {
  }
  REQUIRE(out.size() == 3000);
  for (size_t i = 0; i < out.size(); ++i) REQUIRE(out[i]->offset() == static_cast<int64_t>(i));
}

TEST_CASE("latency: a paced reader refuses records the schedule does not cover") {
  auto schedule = std::make_shared<ReleaseSchedule>(10, 1000.0, Arrival::Constant);
  SourceStats stats;
  REQUIRE_THROWS_WITH(PacedReader(make_trades(20), schedule, stats),
                      Catch::Contains("offset 10 is outside the schedule of 10 records"));
}

TEST_CASE("latency: the sink measures from each row's input's intended time, and digests rows") {
  auto schedule = std::make_shared<ReleaseSchedule>(100, 1000.0, Arrival::Constant);  // 1 ms gap
  const int64_t start = now_ns() - 50'000'000;  // the run started 50 ms ago
  REQUIRE(schedule->start_once(start) == start);
  REQUIRE(schedule->start_once(start + 5) == start);  // set once
  LatencyHistogram h;
  LatencyWriter writer(schedule, h);
  const SharedDataset data = make_trades(100);
  const std::vector<RecordPtr> rows = {data->records[0], data->records[10], data->records[99]};
  const int64_t before = now_ns();
  writer.write(rows);
  const int64_t after = now_ns();
  REQUIRE(h.count() == 3);
  // Row 0 was due 50 ms before `before`; row 99 is due 49 ms from now (a negative latency is 0).
  REQUIRE(static_cast<int64_t>(h.max()) >= before - start);
  REQUIRE(static_cast<double>(h.max()) <= 1.01 * static_cast<double>(after - start));
  REQUIRE(h.min() == 0);
  REQUIRE(h.percentile(50) >= static_cast<uint64_t>(before - start - 10'000'000));
  writer.commit();
  DigestWriter plain;
  plain.write(rows);
  REQUIRE(writer.digest() == plain.digest());
  REQUIRE(writer.rows_committed() == 3);

  const RecordPtr stray = RecordPtr::make({Value::integer(1)}, RecordMeta{0, 100, 0, 0});
  REQUIRE_THROWS_AS(writer.write(std::vector<RecordPtr>{stray}), SinkError);
}

TEST_CASE("latency: with a linger, a read waits for a full batch, or for the linger to end") {
  const SharedDataset data = make_trades(100);
  auto schedule = std::make_shared<ReleaseSchedule>(100, 5000.0, Arrival::Constant);  // 200 us
  SECTION("a long linger: every read waits for its whole batch to fall due") {
    SourceStats stats;
    PacedReader reader(data, schedule, stats, 1'000'000'000);
    Batch out;
    for (int i = 0; i < 10; ++i) {
      REQUIRE(reader.read(10, out).count == 10);
      const int64_t tenth_due =
          schedule->start_ns() + schedule->offset_ns(static_cast<size_t>(out.back()->offset()));
      REQUIRE(now_ns() >= tenth_due);
    }
    REQUIRE(stats.releases == 10);
  }
  SECTION("a short linger: a read gives out what fell due within it") {
    SourceStats stats;
    PacedReader reader(data, schedule, stats, 1'000'000);  // 1 ms: 5 or 6 records
    Batch out;
    while (!reader.read(50, out).end_of_stream) {
    }
    REQUIRE(out.size() == 100);
    // Each read waited 1 ms past its first record: at least 5 more fell due by then.
    REQUIRE(stats.releases <= 100 / 5);
  }
}

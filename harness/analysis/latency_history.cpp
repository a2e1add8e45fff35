// History of latency results: every offered rate of every cell of a `streamgauge latency` result
// is a row of latency_cells (schema in history.cpp), keyed by the id `compare` uses, so that
// `streamgauge history` lists p50/p99/p99.9 beside throughput and flags p99 step changes.
#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "harness/analysis/history.h"
#include "harness/analysis/history_sqlite.h"
#include "harness/analysis/latency_cell_id.h"
#include "harness/matrix/environment.h"

namespace sg {
namespace {

constexpr const char* kLatencyFormat = "streamgauge-latency/1";

// A percentile of a rate's merged histogram; 0 when it has none (a rate that failed).
double percentile_of(const nlohmann::json& rate, const char* key) {
  const auto it = rate.find("latency_ns");
  if (it == rate.end() || !it->contains(key)) return 0;
  return it->at(key).get<double>();
}

}  // namespace

int64_t History::append_latency(const nlohmann::json& r) {
  const std::string format = r.is_object() ? r.value("format", "") : "";
  if (format != kLatencyFormat)
    throw std::runtime_error(fmt::format("{}: not a latency result (format '{}', expected '{}')",
                                         db_->file, format, kLatencyFormat));
  const Environment env = environment_from_json(r.value("environment", nlohmann::json::object()));
  return db_->transaction([&] {
    const int64_t run_id =
        db_->insert_run(env, r.value("name", std::string("latency")), r.value("quick", false));
    HistoryStatement row(
        db_->handle,
        "INSERT INTO latency_cells (run_id, cell_id, scenario, strategy, engine, batch_size, "
        "partitions, linger_ns, rate, offered_rate, achieved_rate, peak_records_per_s, status, "
        "p50_ns, p99_ns, p99_9_ns, max_backlog, p99_ns_passes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& cell : r.at("cells")) {
      const auto& config = cell.at("config");
      const double peak = cell.at("peak").value("median_records_per_s", 0.0);
      for (const auto& rate : cell.at("rates")) {
        const bool ok = rate.at("ok").get<bool>();
        nlohmann::json passes = nlohmann::json::array();
        if (ok)
          for (const auto& pass : rate.at("passes"))
            passes.push_back(pass.at("latency_ns").at("p99").get<double>());
        row.bind(1, run_id);
        row.bind(2, latency_cell_id(cell, rate));
        row.bind(3, cell.at("scenario").get<std::string>());
        row.bind(4, cell.at("strategy").get<std::string>());
        row.bind(5, config.at("engine").get<std::string>());
        row.bind(6, config.at("batch_size").get<int64_t>());
        row.bind(7, int64_t(config.at("partitions").get<int>()));
        row.bind(8, cell.value("linger_ns", int64_t{0}));
        row.bind(9, rate.at("rate").get<std::string>());
        row.bind(10, rate.at("offered_rate").get<double>());
        row.bind(11, rate.value("achieved_rate", 0.0));
        row.bind(12, peak);
        row.bind(13, std::string(ok ? "ok" : "failed"));
        row.bind(14, percentile_of(rate, "p50"));
        row.bind(15, percentile_of(rate, "p99"));
        row.bind(16, percentile_of(rate, "p99_9"));
        row.bind(17, rate.value("max_backlog", int64_t{0}));
        row.bind(18, passes.dump());
        row.step();
        row.reset();
      }
    }
    return run_id;
  });
}

std::vector<LatencyHistoryEntry> History::latency_cells(const HistoryQuery& q) const {
  HistoryStatement s(
      db_->handle,
      "SELECT r.id, r.date_utc, r.commit_id, r.matrix, c.cell_id, c.rate, c.status, "
      "c.offered_rate, c.achieved_rate, c.peak_records_per_s, c.p50_ns, c.p99_ns, c.p99_9_ns, "
      "c.max_backlog, c.p99_ns_passes FROM latency_cells c JOIN runs r ON r.id = c.run_id "
      "WHERE c.scenario = ?1 AND c.strategy = ?2 AND (?3 = '' OR c.engine = ?3) "
      "AND (?4 = 0 OR c.batch_size = ?4) AND (?5 = 0 OR c.partitions = ?5) "
      "ORDER BY r.id DESC, c.rowid DESC LIMIT ?6");
  s.bind(1, q.scenario);
  s.bind(2, q.strategy);
  s.bind(3, q.engine);
  s.bind(4, q.batch_size);
  s.bind(5, int64_t(q.partitions));
  s.bind(6, int64_t(q.limit));
  std::vector<LatencyHistoryEntry> out;
  while (s.step()) {
    LatencyHistoryEntry e;
    e.run_id = s.integer(0);
    e.date_utc = s.text(1);
    e.commit = s.text(2);
    e.matrix = s.text(3);
    e.cell_id = s.text(4);
    e.rate = s.text(5);
    e.status = s.text(6);
    e.offered_rate = s.real(7);
    e.achieved_rate = s.real(8);
    e.peak_records_per_s = s.real(9);
    e.p50_ns = s.real(10);
    e.p99_ns = s.real(11);
    e.p99_9_ns = s.real(12);
    e.max_backlog = static_cast<uint64_t>(s.integer(13));
    for (const auto& v : nlohmann::json::parse(s.text(14)))
      e.p99_passes_ns.push_back(v.get<double>());
    out.push_back(std::move(e));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<StepChange> step_changes(const std::vector<LatencyHistoryEntry>& entries,
                                     const CompareOptions& options) {
  // Each pass's p99 is a sample, as compare takes a latency result's.
  std::vector<HistoryEntry> as_samples;
  as_samples.reserve(entries.size());
  for (const LatencyHistoryEntry& e : entries) {
    HistoryEntry h;
    h.cell_id = e.cell_id;
    h.wall_ns = e.p99_passes_ns;
    as_samples.push_back(std::move(h));
  }
  return step_changes(as_samples, options);
}

}  // namespace sg

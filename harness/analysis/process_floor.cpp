#include "harness/analysis/process_floor.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "harness/analysis/benchmark_json.h"

namespace sg {

bool ProcessFloor::measured(bool calling_thread) const {
  return std::any_of(readings.begin(), readings.end(), [&](const ProcessFloorReading& r) {
    return r.calling_thread == calling_thread;
  });
}

bool ProcessFloor::contains(double overhead_ns_per_record, double baseline_ns_per_record,
                            bool calling_thread) const {
  return measured(calling_thread) &&
         std::abs(overhead_ns_per_record) <= fraction_for(calling_thread) * baseline_ns_per_record;
}

namespace {

// One thread in each of its passes: the calling thread, as direct's loop runs.
bool runs_on_calling_thread(const nlohmann::json& cell) {
  if (!cell.contains("samples") || !cell["samples"].is_array() || cell["samples"].empty())
    return false;
  for (const nlohmann::json& sample : cell["samples"])
    if (!sample.contains("threads") || !sample["threads"].is_array() ||
        sample["threads"].size() != 1)
      return false;
  return true;
}

}  // namespace

ProcessFloor process_floor_of(const std::vector<std::pair<std::string, nlohmann::json>>& results) {
  if (results.size() < 2)
    throw ExplainError(fmt::format(
        "the noise floor between processes needs the pair's results from at least two processes "
        "(got {})",
        results.size()));
  ProcessFloor floor;
  floor.processes = results.size();
  for (const auto& [name, result] : results) {
    if (!result.is_object() ||
        result.value("format", std::string()) != "streamgauge-matrix-result/1" ||
        !result.contains("cells") || !result["cells"].is_array())
      throw ExplainError(name +
                         ": not a matrix result (expected format "
                         "\"streamgauge-matrix-result/1\")");
    size_t paired = 0;
    try {
      for (const nlohmann::json& cell : result["cells"]) {
        if (!cell.contains("summary") || !cell["summary"].contains("paired")) continue;
        const nlohmann::json& pair = cell["summary"]["paired"];
        if (!pair.contains("ratio") || !pair["ratio"].is_number()) continue;
        ProcessFloorReading reading;
        reading.key = cell.value("id", std::string("?"));
        reading.source = name + ": " + reading.key;
        reading.ratio = pair["ratio"].get<double>();
        reading.low = pair.value("low", reading.ratio);
        reading.high = pair.value("high", reading.ratio);
        reading.calling_thread = runs_on_calling_thread(cell);
        const double records = cell.value("records", 0.0);
        if (pair.contains("baseline_wall_ns") && pair["baseline_wall_ns"].is_array() && records > 0)
          reading.direct_ns =
              median_of(pair["baseline_wall_ns"].get<std::vector<double>>()) / records;
        floor.readings.push_back(std::move(reading));
        ++paired;
      }
    } catch (const nlohmann::json::exception& e) {
      throw ExplainError(name + ": a paired cell of an unexpected shape: " + e.what());
    }
    if (paired == 0)
      throw ExplainError(name +
                         ": no cell paired with direct (scenarios/matrix/"
                         "between_processes.toml makes one per scenario)");
  }
  // Direct's median time per cell over the processes; a reading whose direct ran much slower
  // than that ran on a slowed host.
  std::map<std::string, std::vector<double>> direct_ns;
  for (const ProcessFloorReading& r : floor.readings)
    if (r.direct_ns > 0) direct_ns[r.key].push_back(r.direct_ns);
  std::vector<ProcessFloorReading> kept;
  for (ProcessFloorReading& r : floor.readings) {
    if (r.direct_ns > 0 && r.direct_ns > ProcessFloor::kHostSlowed * median_of(direct_ns[r.key]))
      floor.left_out.push_back(std::move(r));
    else
      kept.push_back(std::move(r));
  }
  floor.readings = std::move(kept);
  for (const ProcessFloorReading& r : floor.readings) {
    double& kind = r.calling_thread ? floor.calling_thread_fraction : floor.fraction;
    kind = std::max(kind, std::abs(r.ratio - 1));
  }
  return floor;
}

ProcessFloor load_process_floor(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, nlohmann::json>> results;
  for_each_json_file(dir, "folder of results between processes",
                     [&](const nlohmann::json& result, const std::string& path) {
                       results.emplace_back(std::filesystem::path(path).filename().string(),
                                            result);
                     });
  return process_floor_of(results);
}

}  // namespace sg

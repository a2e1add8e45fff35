#include "harness/workload/memory_estimate.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

namespace sg {

namespace {

// A cgroup limit this large means "no limit" (v1 writes 2^63 rounded down to a page).
constexpr uint64_t kNoLimit = uint64_t{1} << 62;

std::optional<uint64_t> read_number(const std::string& path) {
  std::ifstream in(path);
  uint64_t value = 0;
  if (!(in >> value)) return std::nullopt;  // also "max": no limit
  return value;
}

std::optional<uint64_t> mem_available(const std::string& meminfo) {
  std::ifstream in(meminfo);
  std::string key;
  uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return std::nullopt;
}

// What the cgroup's limit leaves, when it has one: v2 (memory.max, memory.current) or v1
// (memory.limit_in_bytes, memory.usage_in_bytes), at the cgroup's path or at the root (a
// namespaced mount shows the process's own cgroup there).
std::optional<uint64_t> cgroup_left(const std::string& root, const std::string& self_cgroup) {
  std::vector<std::string> folders;
  std::ifstream in(self_cgroup);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0::", 0) == 0) folders.push_back(root + line.substr(3));
    const size_t v1 = line.find(":memory:");
    if (v1 != std::string::npos) folders.push_back(root + "/memory" + line.substr(v1 + 8));
  }
  folders.push_back(root);
  folders.push_back(root + "/memory");
  for (const std::string& folder : folders) {
    for (const auto& [limit_file, usage_file] :
         {std::pair{"/memory.max", "/memory.current"},
          std::pair{"/memory.limit_in_bytes", "/memory.usage_in_bytes"}}) {
      const auto limit = read_number(folder + limit_file);
      const auto usage = read_number(folder + usage_file);
      if (!limit || !usage || *limit >= kNoLimit) continue;
      return *limit > *usage ? *limit - *usage : 0;
    }
  }
  return std::nullopt;
}

}  // namespace

DatasetFootprint measure_footprint(const Generator& generator, uint64_t records,
                                   uint64_t max_sample) {
  DatasetFootprint f;
  f.sampled = std::min(records, max_sample);
  if (f.sampled == 0) return f;
  const size_t width = generator.schema().size();
  // Record::allocate_unset: one block of the header and the values; the dataset's vector holds
  // one RecordPtr per record (generate() reserves exactly).
  const double fixed = double(sizeof(RecordPtr) + sizeof(Record) + width * sizeof(Value));
  // A long string owned by one record is its own StringRep block; one met twice in the sample
  // is shared (a choice's value), allocated once for the whole dataset.
  std::vector<RecordPtr> sample;
  std::unordered_map<const char*, size_t> seen;  // string data -> its block's bytes, 0 if shared
  for (uint64_t k = 0; k < f.sampled; ++k) {
    sample.push_back(generator.record(k * records / f.sampled));
    for (const Value& v : sample.back()->values_span()) {
      if (!v.holds_shared_string()) continue;
      const std::string_view s = v.as_string();
      auto [it, first] = seen.emplace(s.data(), sizeof(StringRep) + s.size());
      if (!first) it->second = 0;
    }
  }
  double owned = 0;
  for (const auto& [data, bytes] : seen) owned += double(bytes);
  f.bytes_per_record = fixed + owned / double(f.sampled);
  return f;
}

AvailableMemory available_memory(const std::string& meminfo, const std::string& cgroup_root,
                                 const std::string& self_cgroup) {
  const auto system = mem_available(meminfo);
  const auto cgroup = cgroup_left(cgroup_root, self_cgroup);
  if (cgroup && (!system || *cgroup < *system)) return {*cgroup, "cgroup limit"};
  if (system) return {*system, "MemAvailable"};
  throw std::runtime_error("cannot tell the available memory: no MemAvailable in " + meminfo +
                           " and no cgroup limit");
}

void check_datasets_fit(const std::vector<DatasetRequest>& datasets,
                        const AvailableMemory& available) {
  double total = 0;
  std::string figures;
  for (const DatasetRequest& d : datasets) {
    const Generator generator(*d.spec);
    const DatasetFootprint f = measure_footprint(generator, d.records);
    const double bytes = f.bytes_per_record * double(d.records);
    total += bytes;
    figures += fmt::format(
        "\n  {}: {} records x {:.0f} bytes per record (measured on {} of its "
        "records) = {}",
        d.name, d.records, f.bytes_per_record, f.sampled, format_bytes(bytes));
  }
  if (total <= double(available.bytes)) return;
  throw std::runtime_error(fmt::format(
      "the generated data needs about {} of memory, more than the {} available ({}); use fewer "
      "records:{}",
      format_bytes(total), format_bytes(double(available.bytes)), available.source, figures));
}

std::string format_bytes(double bytes) {
  const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return fmt::format("{:.0f} bytes", bytes);
  int u = -1;
  while (bytes >= 1024 && u < 5) {
    bytes /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", bytes, units[u]);
}

}  // namespace sg

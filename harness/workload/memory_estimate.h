// Before any data is generated: will it fit? A generated dataset lives in memory for the whole
// run, so a record count past the machine's memory grew until the kernel killed the process,
// with no message. The bytes per record are measured on the generator's own records (what the
// dataset's containers allocate for them), not guessed; available memory is MemAvailable, or
// what the cgroup's limit leaves when that is lower.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/workload/generator.h"

namespace sg {

// The heap bytes a Dataset of the spec holds per record: its vector slot, the record's block
// (header and values, Record::allocate_unset) and the long strings it owns alone (a string that
// records share, such as a choice, costs nothing per record). Measured on `sampled` records
// spread evenly over [0, records): record i is a pure function of i (generator.h).
struct DatasetFootprint {
  double bytes_per_record = 0;
  uint64_t sampled = 0;
};
DatasetFootprint measure_footprint(const Generator& generator, uint64_t records,
                                   uint64_t max_sample = 1024);

// Bytes this process may still allocate, and where the figure comes from.
struct AvailableMemory {
  uint64_t bytes = 0;
  std::string source;  // "MemAvailable" or "cgroup limit"
};
// Reads `meminfo` (/proc/meminfo) and the cgroup v2 or v1 limit and usage under `cgroup_root`
// (/sys/fs/cgroup) for the cgroup named in `self_cgroup` (/proc/self/cgroup). The arguments are
// for tests. Throws std::runtime_error when no figure can be read.
AvailableMemory available_memory(const std::string& meminfo = "/proc/meminfo",
                                 const std::string& cgroup_root = "/sys/fs/cgroup",
                                 const std::string& self_cgroup = "/proc/self/cgroup");

// One dataset a run will generate.
struct DatasetRequest {
  std::string name;  // the scenario
  const GeneratorSpec* spec = nullptr;
  uint64_t records = 0;
};
// Throws std::runtime_error when the datasets together need more than `available` bytes, with
// each one's figure: "s0_pure_select: 1000000000000 records x 136 bytes per record (measured on
// 1024 of its records) = 123.7 TiB; 19.8 GiB available (MemAvailable)...".
void check_datasets_fit(const std::vector<DatasetRequest>& datasets,
                        const AvailableMemory& available);

// "1.5 GiB", "980.0 KiB", "12 bytes".
std::string format_bytes(double bytes);

}  // namespace sg

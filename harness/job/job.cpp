#include "harness/job/job.h"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/schema.h"

namespace sg {
namespace {

// One table per enum: the name is written once and parsed from the same place.
template <class E, size_t N>
std::optional<E> parse_in(const std::array<std::pair<E, const char*>, N>& table,
                          std::string_view s) {
  for (const auto& [value, name] : table)
    if (iequals(s, name)) return value;
  return std::nullopt;
}
template <class E, size_t N>
const char* name_in(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "?";
}

constexpr std::array<std::pair<EngineKind, const char*>, 2> kEngineKinds{
    {{EngineKind::Sql, "sql"}, {EngineKind::Passthrough, "passthrough"}}};
constexpr std::array<std::pair<LockKind, const char*>, 2> kLockKinds{
    {{LockKind::Mutex, "mutex"}, {LockKind::RwLock, "rwlock"}}};
constexpr std::array<std::pair<Routing, const char*>, 3> kRoutings{
    {{Routing::Hash, "hash"}, {Routing::RoundRobin, "round_robin"}, {Routing::Sticky, "sticky"}}};
constexpr std::array<std::pair<WriterMode, const char*>, 2> kWriterModes{
    {{WriterMode::Shared, "shared"}, {WriterMode::PerPartition, "per_partition"}}};
constexpr std::array<std::pair<StreamingMode, const char*>, 4> kStreamingModes{
    {{StreamingMode::Eager, "eager"},
     {StreamingMode::Lazy, "lazy"},
     {StreamingMode::Spawnless, "spawnless"},
     {StreamingMode::Pooled, "pooled"}}};

nlohmann::json queue_stats_json(const QueueStats& q) {
  return {{"items_pushed", q.items_pushed},     {"items_popped", q.items_popped},
          {"push_calls", q.push_calls},         {"pop_calls", q.pop_calls},
          {"producer_waits", q.producer_waits}, {"consumer_waits", q.consumer_waits},
          {"wait_timeouts", q.wait_timeouts}};
}

}  // namespace

const char* engine_kind_name(EngineKind k) {
  return name_in(kEngineKinds, k);
}
const char* lock_kind_name(LockKind k) {
  return name_in(kLockKinds, k);
}
const char* routing_name(Routing r) {
  return name_in(kRoutings, r);
}
const char* writer_mode_name(WriterMode m) {
  return name_in(kWriterModes, m);
}
const char* streaming_mode_name(StreamingMode m) {
  return name_in(kStreamingModes, m);
}
std::optional<EngineKind> parse_engine_kind(std::string_view s) {
  return parse_in(kEngineKinds, s);
}
std::optional<LockKind> parse_lock_kind(std::string_view s) {
  return parse_in(kLockKinds, s);
}
std::optional<Routing> parse_routing(std::string_view s) {
  return parse_in(kRoutings, s);
}
std::optional<WriterMode> parse_writer_mode(std::string_view s) {
  return parse_in(kWriterModes, s);
}
std::optional<StreamingMode> parse_streaming_mode(std::string_view s) {
  return parse_in(kStreamingModes, s);
}
const std::vector<StreamingMode>& all_streaming_modes() {
  static const std::vector<StreamingMode> modes = [] {
    std::vector<StreamingMode> v;
    for (const auto& [mode, name] : kStreamingModes) v.push_back(mode);
    return v;
  }();
  return modes;
}
std::string streaming_mode_names() {
  std::string names;
  for (const auto& [mode, name] : kStreamingModes)
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

nlohmann::json JobConfig::to_json() const {
  nlohmann::json j = {{"engine", engine_kind_name(engine)},
                      {"batch_size", batch_size},
                      {"partitions", partitions},
                      {"queue", queue_kind_name(queue)},
                      {"queue_capacity", queue_capacity},
                      {"lock", lock_kind_name(lock)},
                      {"routing", routing_name(routing)},
                      {"writer_mode", writer_mode_name(writer_mode)},
                      {"streaming", streaming_mode_name(streaming)},
                      {"phase_timing", phase_timing},
                      {"pin_threads", pin_threads},
                      {"source", source_kind_name(source)},
                      {"handoff", handoff_name(handoff)}};
  // Only when set, so that results of the default (the end marker) keep their shape.
  if (end_by_empty_reads)
    j["end_of_stream"] = {{"empty_reads", end_by_empty_reads->reads},
                          {"sleep_ms", end_by_empty_reads->sleep.count()}};
  return j;
}

PhaseNs RunResult::phase_ns_all_threads() const {
  PhaseNs sum{};
  for (const ThreadReport& t : threads)
    for (size_t i = 0; i < kPhaseCount; ++i) sum[i] += t.phase_ns[i];
  return sum;
}

uint64_t RunResult::cpu_ns() const {
  uint64_t sum = 0;
  for (const ThreadReport& t : threads) sum += t.cpu_ns;
  return sum;
}

uint64_t RunResult::voluntary_switches() const {
  uint64_t sum = 0;
  for (const ThreadReport& t : threads) sum += t.voluntary_switches;
  return sum;
}

uint64_t RunResult::involuntary_switches() const {
  uint64_t sum = 0;
  for (const ThreadReport& t : threads) sum += t.involuntary_switches;
  return sum;
}

nlohmann::json RunResult::to_json() const {
  nlohmann::json threads_json = nlohmann::json::array();
  for (const ThreadReport& t : threads) threads_json.push_back(t.to_json());
  nlohmann::json j = {
      {"strategy", strategy},
      {"ok", ok},
      {"skipped", skipped},
      {"error", error},
      {"records_read", records_read},
      {"records_processed", records_processed},
      {"rows_produced", rows_produced},
      {"rows_written", rows_written},
      {"records_committed", records_committed},
      {"rows_committed", rows_committed},
      {"batches", batches},
      {"average_batch_size", average_batch_size()},
      {"locks_taken", locks_taken},
      {"queue", queue_stats_json(queue)},
      {"wall_ns", wall_ns},
      {"threads", threads_json},
      {"cpu_ns", cpu_ns()},
      {"voluntary_switches", voluntary_switches()},
      {"involuntary_switches", involuntary_switches()},
      {"peak_rss_kb", peak_rss_kb},
      {"peak_rss_per_run", peak_rss_per_run},
      {"engine",
       {{"records_in", engine.records_in},
        {"records_out", engine.records_out},
        {"late_records", engine.late_records}}},
      {"digest", digest.to_json()},
      {"fingerprint", fingerprint.to_string()},
  };
  if (startup) {
    j["startup"] = {{"to_stream_ready_ns", startup->to_stream_ready_ns},
                    {"to_first_row_ns", startup->to_first_row_ns}};
  }
  return j;
}

}  // namespace sg

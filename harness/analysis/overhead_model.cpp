// The overhead model (overhead_model.h): unit costs from the microbenches (benchmark_json.h),
// counts from the run priced by the component table (overhead_components.h), per strategy the
// critical path.
#include "harness/analysis/overhead_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/job/paired_ratio.h"

namespace sg {
namespace {

using overhead::CellCounts;
using overhead::read_cell;

constexpr int kMaxParallelBench = 4;  // microbench/bench_parallel.cpp registers 1 to 4 threads

// One thread's route through a run: the baseline work it carries and its extra components.
struct Path {
  std::string name;
  double base_ns = 0;  // the direct baseline's work done on this path, per run
  std::vector<ComponentEstimate> components;
  double length_ns(double records) const {
    double total = base_ns;
    for (const ComponentEstimate& e : components) total += e.predicted_ns_per_record * records;
    return total;
  }
  // The part of the length that is a validation cell's injected rounds.
  double injected_ns(double records) const {
    double total = 0;
    for (const ComponentEstimate& e : components)
      if (e.name == "injected_work") total += e.predicted_ns_per_record * records;
    return total;
  }
};

class Model {
 public:
  Model(const CellCounts& cell, const CellCounts& baseline, const MicrobenchCosts& costs,
        unsigned cores, const std::set<std::string>& dropped)
      : c_(cell),
        base_(baseline),
        costs_(costs),
        cores_(std::max(1u, cores)),
        records_(std::max<double>(1, double(cell.records))),
        dropped_(dropped) {}

  // `count`: how many times the critical path did it in the whole run.
  ComponentEstimate component(const std::string& name, double count) const {
    return drop(overhead::price_component(name, count, c_, costs_, records_));
  }
  // Threads the job thread starts, each pinning itself to one of `slots` when the cell is pinned.
  // The job thread holds slot 0's CPU and a new thread starts there, so one whose slot maps to
  // another CPU (slot mod cores, thread_placement.h) moves as it pins. Each sets up its allocator
  // heap too (fresh_heaps) and runs its own meter (thread_meters), where the results measured
  // those: older ones did not.
  void threads(std::vector<ComponentEstimate>& out, const std::vector<int>& slots) const {
    CellCounts placed = c_;
    const auto moved = std::count_if(slots.begin(), slots.end(),
                                     [&](int slot) { return slot % int(cores_) != 0; });
    placed.threads_moved_share = slots.empty() ? 0 : double(moved) / double(slots.size());
    const double n = double(slots.size());
    out.push_back(drop(overhead::price_component("threads", n, placed, costs_, records_)));
    if (overhead::component_measured("fresh_heaps", c_, costs_))
      out.push_back(component("fresh_heaps", n));
    if (overhead::component_measured("thread_meters", c_, costs_))
      out.push_back(component("thread_meters", n));
  }
  // `count` wakes of a thread that sleeps on its waker's own CPU.
  ComponentEstimate wakeups_beside(double count) const {
    CellCounts beside = c_;
    beside.sleeper_beside_waker = true;
    return drop(overhead::price_component("wakeups", count, beside, costs_, records_));
  }
  // A dropped term stays listed, priced at 0 (the mutation check, explain_matrix).
  ComponentEstimate drop(ComponentEstimate e) const {
    if (dropped_.count(e.name)) e.predicted_ns_per_record = e.count_per_record = 0;
    return e;
  }
  // Baseline work taken off the critical path by running it on another thread (negative).
  ComponentEstimate overlap(double hidden_ns, const std::string& what) const {
    ComponentEstimate e;
    e.name = "overlapped_base_work";
    e.benchmark = "direct baseline: " + what;
    e.count_per_record = -1;
    e.unit_cost_ns = hidden_ns / records_;
    e.predicted_ns_per_record = -e.unit_cost_ns;
    return drop(e);
  }

  void explain(ExplainRow& row) const;

  // The models of strategy_models(), one per strategy.

  // Clock reads per batch in run_job_loop beyond direct's 3 (engine, write, commit): the read
  // phase, plus per_record_lock's 2 per record and batch_lock's lock and unlock charges.
  void single_loop(ExplainRow& row, bool per_record) const {
    auto& out = row.components;
    out.push_back(component("locks", c_.locks_taken));
    const double clock_reads = per_record ? c_.batches + 2 * c_.records_read : 3 * c_.batches;
    out.push_back(component("clock_reads", clock_reads));
    if (c_.source == "lent") out.push_back(component("batches", c_.batches));
    injected(out, c_.records_read);
    if (per_record) out.push_back(component("engine_calls", c_.records_read - c_.batches));
  }

  // Each partition runs the loop of batch_lock without the lock, min(partitions, cores) of them
  // at once at the machine's measured parallel capacity, over the records the key hash gave it:
  // the path carries the split's factor (split_factor) of the counts and of the baseline work.
  void lockless_stp(ExplainRow& row) const {
    const std::vector<double> cpu_loads = loads_per_cpu(c_.partitions);
    // Every partition runs the baseline's work and, in a validation cell, the injected rounds.
    const double rounds_ns = injected_ns_per_record();
    const double f = rounds_ns / std::max(rounds_ns + base_.wall_ns / records_, 1e-9);
    const double t = split_factor(cpu_loads, f);
    auto& out = row.components;
    std::vector<int> slots(static_cast<size_t>(std::max(c_.partitions, 1)));
    std::iota(slots.begin(), slots.end(), 0);  // partition p pins to slot p
    threads(out, slots);
    out.push_back(component("clock_reads", c_.batches * t));
    if (c_.source == "lent") out.push_back(component("batches", c_.batches * t));
    injected(out, c_.records_read * t);
    if (cpu_loads.size() > 1) out.push_back(parallel_work(cpu_loads, t, f));
    if (c_.partitions > 1)
      row.critical_path = fmt::format(
          "the slowest of {} partitions ({} run at once, capacity {:.2f}; the busiest CPU has "
          "{:.0f}% of the records)",
          c_.partitions, cpu_loads.size(), capacity(static_cast<int>(cpu_loads.size()), f),
          100 * cpu_loads.front());
  }

  // Reader thread: read, route, copy, push. Workers: pop, engine + write (the baseline's work),
  // the shared-writer lock. With a CPU for every thread (or unpinned), the longer of the reader's
  // and the workers' paths sets the wall time; pinned with more threads than CPUs, the busiest
  // CPU does (adaptive_shared_cpu).
  void adaptive(ExplainRow& row) const {
    const int n = c_.partitions;
    // The reader reads (and, from a materialized source, decodes) what direct reads on its one
    // thread: that share of the baseline moves to the reader's path.
    const double read_ns = std::min(base_.read_phase_ns, base_.wall_ns);
    if (c_.pinned && n > 1 && n + 1 > static_cast<int>(cores_)) {
      adaptive_shared_cpu(row, read_ns);
    } else {
      const Path reader = adaptive_reader(read_ns);
      // The workers' CPUs (all but the reader's), the busiest carrying its workers' records.
      const size_t worker_cpus = std::min<size_t>(n, cores_ > 1 ? cores_ - 1 : 1);
      const Path workers = adaptive_workers("workers", read_ns, worker_shares(worker_cpus).front());
      const bool reader_critical = reader.length_ns(records_) > workers.length_ns(records_);
      const Path& critical = reader_critical ? reader : workers;
      const Path& other = reader_critical ? workers : reader;
      keep_critical(row, critical, other);
      // Whichever path is critical, the rest of the baseline's work is off the wall.
      row.components.push_back(overlap(
          base_.wall_ns - critical.base_ns,
          reader_critical ? "wall - read (on workers)" : "the rest (reader, other workers)"));
      if (n == 1) row.components.push_back(running_beside(other, critical));
    }
    std::vector<int> slots(static_cast<size_t>(n) + 1);
    std::iota(slots.begin(), slots.end(), 0);  // worker p on slot p, the reader on slot n
    threads(row.components, slots);
  }

  // `beside_share`: the share of the workers' records that run on the reader's own CPU (a pinned
  // cell with more threads than CPUs); their waits are woken, and wake the reader, on that CPU.
  Path adaptive_reader(double read_ns, double beside_share = 0) const {
    const double reader_batches =
        std::ceil(c_.records_read / double(std::max<size_t>(1, c_.batch_size)));
    Path reader{"reader", read_ns, {}};
    if (c_.handoff != "move") {
      // Shared reads of a lent source cost one reference each on top of the hand-off's own.
      const double shared_reads = c_.source == "lent" ? c_.records_read : 0;
      reader.components.push_back(component("record_copies", c_.records_read));
      if (shared_reads > 0) {
        CellCounts share = c_;
        share.handoff = "share";
        reader.components.push_back(
            overhead::price_component("record_copies", shared_reads, share, costs_, records_));
      }
    }
    // Several partitions: every record's key is read and hashed to choose its queue.
    if (c_.partitions > 1 && c_.routing == "hash")
      reader.components.push_back(component("routing", c_.records_read));
    if (c_.source == "lent") reader.components.push_back(component("batches", reader_batches));
    // Every time a worker blocked on its empty queue, a push of the reader's woke it; every time
    // the reader blocked on a full queue, it waited to be woken. A worker beside the reader is
    // woken on the reader's CPU, and the reader's wait for it is that worker's work, counted.
    reader.components.push_back(component("wakeups", c_.consumer_waits * (1 - beside_share)));
    if (beside_share > 0)
      reader.components.push_back(wakeups_beside(c_.consumer_waits * beside_share));
    reader.components.push_back(component("handoffs", c_.producer_waits * (1 - beside_share)));
    // ... and the reader allocates them again in the blocks the workers freed.
    if (born_on_reader()) reader.components.push_back(component("reused_blocks", c_.records_read));
    reader.components.push_back(component("clock_reads", 2 * reader_batches));
    reader.components.push_back(component("queue_push", c_.items_pushed));
    return reader;
  }

  // `share` of the workers' records (and of the baseline's work beyond reading) on one path;
  // `beside_reader`: the path's workers share the reader's CPU.
  Path adaptive_workers(const std::string& name, double read_ns, double share,
                        bool beside_reader = false) const {
    Path workers{name, (base_.wall_ns - read_ns) * share, {}};
    workers.components.push_back(component("queue_pop", c_.items_popped * share));
    workers.components.push_back(component("queue_crossing", c_.items_popped * share));
    workers.components.push_back(component("locks", c_.locks_taken * share));
    // ... and the other way round: a pop woke the reader, a worker waited to be woken. Beside
    // the reader, the wake switches their one CPU, and the worker's wait for it runs the reader.
    if (beside_reader) {
      workers.components.push_back(wakeups_beside(c_.producer_waits * share));
    } else {
      workers.components.push_back(component("wakeups", c_.producer_waits * share));
      workers.components.push_back(component("handoffs", c_.consumer_waits * share));
    }
    // Records the reader wrote (decoded, or deep-copied) are read and freed on a worker's core.
    if (born_on_reader()) {
      // A pop that found its queue empty waited for a batch the reader had just written; any
      // other took one made while this worker worked on the last.
      const double waited =
          c_.pop_calls > 0 ? std::min(1.0, c_.consumer_waits / c_.pop_calls) : 1.0;
      used_elsewhere(workers.components, c_.records_read * share * waited);
      workers.components.push_back(
          component("aged_records", c_.records_read * share * (1 - waited)));
    }
    injected(workers.components, c_.records_read * share);
    // pop + engine + write + commit, and the lock charge with a shared writer: 2 or 1 beyond 3.
    const double extra_reads = c_.writer_mode == "shared" ? 2 : 1;
    workers.components.push_back(component("clock_reads", extra_reads * c_.batches * share));
    return workers;
  }

  // Pinned, reader + n workers > cores: thread_placement puts worker p on slot p and the reader
  // on slot n, modulo the CPUs, so the reader's CPU also runs the workers of its slot. Each CPU's
  // load is the paths pinned to it; the busiest sets the wall, slowed by what one CPU's work
  // loses to the others only while they still run beside it (split_factor, Waits::OnOne).
  void adaptive_shared_cpu(ExplainRow& row, double read_ns) const {
    const int n = c_.partitions;
    const int cpus = static_cast<int>(cores_);
    const std::vector<double> shares = shares_or_even(n);
    std::vector<int> workers_on(static_cast<size_t>(cpus), 0);
    std::vector<double> share_on(static_cast<size_t>(cpus), 0.0);
    for (int p = 0; p < n; ++p) {
      ++workers_on[static_cast<size_t>(p % cpus)];
      share_on[static_cast<size_t>(p % cpus)] += shares[static_cast<size_t>(p)];
    }
    const int reader_cpu = n % cpus;
    int busiest_other = -1;
    for (int cpu = 0; cpu < cpus; ++cpu)
      if (cpu != reader_cpu && (busiest_other < 0 || share_on[cpu] > share_on[busiest_other]))
        busiest_other = cpu;
    const int k = workers_on[static_cast<size_t>(reader_cpu)];
    const double beside_share = share_on[static_cast<size_t>(reader_cpu)];
    const Path reader = adaptive_reader(read_ns, beside_share);
    Path with_reader =
        adaptive_workers(fmt::format("reader + {} worker(s) on CPU slot {}", k, reader_cpu),
                         read_ns, beside_share, k > 0);
    with_reader.base_ns += reader.base_ns;
    for (const ComponentEstimate& e : reader.components) with_reader.components.push_back(e);
    // One CPU: no other (an empty path).
    const size_t busiest = static_cast<size_t>(std::max(busiest_other, 0));
    const bool has_other = busiest_other >= 0;
    const Path other = adaptive_workers(
        fmt::format("{} worker(s) on another CPU", has_other ? workers_on[busiest] : 0), read_ns,
        has_other ? share_on[busiest] : 0.0);
    const bool reader_cpu_critical = with_reader.length_ns(records_) >= other.length_ns(records_);
    const Path& critical = reader_cpu_critical ? with_reader : other;
    keep_critical(row, critical, reader_cpu_critical ? other : with_reader);
    row.components.push_back(overlap(base_.wall_ns - critical.base_ns, "work on the other CPUs"));
    // Every CPU's load; the busiest runs slower only while the others still run beside it.
    std::vector<double> loads;
    double rounds_ns = 0;
    for (int cpu = 0; cpu < cpus; ++cpu) {
      const Path on_cpu =
          cpu == reader_cpu ? with_reader : adaptive_workers("", read_ns, share_on[size_t(cpu)]);
      loads.push_back(on_cpu.length_ns(records_));
      rounds_ns += on_cpu.injected_ns(records_);
    }
    const double total = std::accumulate(loads.begin(), loads.end(), 0.0);
    std::sort(loads.rbegin(), loads.rend());
    row.components.push_back(slowed_beside(loads, rounds_ns / std::max(total, 1.0)));
  }

  void streaming(ExplainRow& row) const {
    row.components.push_back(component("stream_startup", 1));
    if (c_.streaming == "spawnless") return;  // the engine runs in the caller, like direct
    // The producer reads the source and runs the engine; the job thread pulls, writes and
    // commits. (Reading is free for a lent source; a materialized one decodes on the producer.)
    const double engine_ns = std::min(base_.engine_phase_ns + base_.read_phase_ns, base_.wall_ns);
    Path producer{"producer", engine_ns, {}};
    const bool eager = c_.streaming == "eager";
    producer.components.push_back(component("clock_reads", (eager ? 3 : 2) * c_.batches));
    producer.components.push_back(component("channel", c_.batches));
    producer.components.push_back(component("fresh_batches", c_.batches));
    if (eager) producer.components.push_back(component("pause_checks", c_.batches));
    // Blocking waits: the run's voluntary switches beyond direct's, less those that
    // stream_startup's one-record stream holds: the wait for the first batch and, but for a
    // pooled thread (given back, not joined), the join. They are the job thread's on an empty
    // channel; each was ended by the producer's notify.
    const double startup_waits = c_.streaming == "pooled" ? 1 : 2;
    const double waits =
        std::max(0.0, c_.voluntary_switches - base_.voluntary_switches - startup_waits);
    producer.components.push_back(component("wakeups", waits));
    // The sql engine builds every output row on the producer, in blocks the job thread freed; the
    // job thread reads and frees each one. The passthrough engine hands its input on: rows born
    // on the producer too when it decoded them from a materialized source, lent ones otherwise.
    // With the sql engine the producer frees the records its query leaves out itself, and
    // allocates in blocks of both kinds: produced_rows, per record read, measures that mix over
    // the scenario's own query (older results: reused_blocks over the rows).
    const bool builds_rows = c_.engine == "sql" || c_.source == "materialized";
    if (c_.engine == "sql" && c_.source == "materialized" &&
        overhead::component_measured("produced_rows", c_, costs_))
      producer.components.push_back(component("produced_rows", c_.records_read));
    else if (builds_rows)
      producer.components.push_back(component("reused_blocks", c_.rows_produced));
    injected(producer.components, c_.records_read);
    Path consumer{"job thread (write)", base_.wall_ns - engine_ns, {}};
    consumer.components.push_back(component("channel", c_.batches));
    consumer.components.push_back(component("handoffs", waits));  // woken, on its own path
    consumer.components.push_back(component("queue_crossing", c_.rows_produced));
    if (builds_rows) used_elsewhere(consumer.components, c_.rows_produced);
    const bool producer_critical = producer.length_ns(records_) > consumer.length_ns(records_);
    const Path& critical = producer_critical ? producer : consumer;
    const Path& other = producer_critical ? consumer : producer;
    keep_critical(row, critical, other);
    row.components.push_back(overlap(other.base_ns, fmt::format("{} work", other.name)));
    row.components.push_back(running_beside(other, critical));
  }

 private:
  // Who waits for the CPUs running at once. A job that joins every partition (lockless_stp)
  // waits for the slowest of them; a path on one CPU with the others beside it (the busiest CPU
  // of a pinned adaptive job, the critical one of two paths) waits for its own. The host slows
  // one vCPU or the other, not always the same one (design-notes#parallel-capacity), so the path
  // on one CPU is slowed by what the slots see on average, the whole job by the slowest.
  enum class Waits { ForAll, OnOne };

  // The machine's parallel capacity at n threads, from machine/parallel_engine: ns per item on
  // one thread over ns per item on n at once (n on independent CPUs, less on a shared VM); for
  // Waits::OnOne, n x one thread's ns per item over the mean of the n slots' own (where the run
  // measured them). Where a share `injected` of the work running at once is a validation cell's
  // injected rounds, which touch no memory and so contend less, the two capacities are weighed by
  // time: 1 / (injected / capacity_injected + (1 - injected) / capacity_engine). Results without
  // machine/parallel_injected price all of it as engine work.
  double capacity(int n, double injected = 0, Waits waits = Waits::ForAll) const {
    if (n <= 1) return 1.0;
    n = std::min(n, kMaxParallelBench);
    const double engine = work_capacity(n, "engine", waits);
    if (injected <= 0 || !costs_.has(parallel_benchmark(n, "injected"))) return engine;
    const double rounds = work_capacity(n, "injected", waits);
    return 1.0 / (injected / rounds + (1.0 - injected) / engine);
  }
  double work_capacity(int n, const char* work, Waits waits) const {
    if (!by_slot(n, work, waits))
      return costs_.ns_per_item(parallel_benchmark(1, work)) /
             costs_.ns_per_item(parallel_benchmark(n, work));
    double sum = 0;
    for (int slot = 0; slot < n; ++slot) sum += costs_.ns_per_item(slot_benchmark(n, slot, work));
    return n * costs_.ns_per_item(slot_benchmark(1, 0, work)) / (sum / n);
  }
  bool by_slot(int n, const char* work, Waits waits) const {
    if (waits != Waits::OnOne || !costs_.has(slot_benchmark(1, 0, work))) return false;
    for (int slot = 0; slot < n; ++slot)
      if (!costs_.has(slot_benchmark(n, slot, work))) return false;
    return true;
  }
  static std::string parallel_benchmark(int n, const char* work = "engine") {
    return fmt::format("machine/parallel_{}/threads:{}/real_time", work, n);
  }
  static std::string slot_benchmark(int n, int slot, const char* work = "engine") {
    return fmt::format("machine/parallel_{}/threads:{}/slot:{}/manual_time", work, n, slot);
  }
  // What the named capacity is measured by, for a term's `benchmark`.
  std::string capacity_source(int n, double injected, Waits waits = Waits::ForAll) const {
    std::string source =
        by_slot(n, "engine", waits)
            ? fmt::format("{} / the mean of machine/parallel_engine/threads:{}/slot:0-{}",
                          slot_benchmark(1, 0), n, n - 1)
            : fmt::format("{} / {}", parallel_benchmark(1), parallel_benchmark(n));
    if (injected > 0)
      source += fmt::format(", weighed with machine/parallel_injected for the {:.0f}% injected",
                            100 * injected);
    return source;
  }
  // A validation cell's injected rounds over all its records, per record (0 in other cells).
  double injected_ns_per_record() const {
    if (c_.injected_work == 0) return 0;
    return component("injected_work", double(c_.injected_work) * c_.records_read)
        .predicted_ns_per_record;
  }
  // A CPU's load of `load_ns` while `busy` CPUs work at once takes load x busy / capacity: the
  // difference, per record (0 on one CPU or on a machine whose CPUs are independent).
  ComponentEstimate slowdown(double load_ns, int busy, double injected, Waits waits) const {
    const double cap = capacity(busy, injected, waits);
    ComponentEstimate e;
    e.name = "parallel_work";
    e.benchmark =
        fmt::format("busiest CPU's load x ({} / capacity {:.2f} - 1), capacity = {}", busy, cap,
                    capacity_source(std::min(busy, kMaxParallelBench), injected, waits));
    e.count_per_record = busy / cap - 1;
    e.unit_cost_ns = load_ns / records_;
    e.predicted_ns_per_record = e.count_per_record * e.unit_cost_ns;
    return drop(e);
  }

  // CPUs with these loads (ns, largest first) running at once: the largest finishes after
  // split_factor's time, the difference is what the others running beside it cost it. Two CPUs
  // give running_beside's stretch, the smaller load x (2 / capacity - 1).
  ComponentEstimate slowed_beside(const std::vector<double>& loads_ns, double injected) const {
    const double busiest = std::max(loads_ns.front(), 1.0);
    const double t = split_factor(loads_ns, injected, Waits::OnOne);
    const size_t busy = static_cast<size_t>(
        std::count_if(loads_ns.begin(), loads_ns.end(), [](double l) { return l > 0; }));
    ComponentEstimate e;
    e.name = "parallel_work";
    e.benchmark = fmt::format(
        "busiest CPU's load x (its time with {} CPUs' loads beside it at the measured capacity "
        "/ its load - 1), capacity = {}",
        busy,
        capacity_source(std::clamp(static_cast<int>(busy), 1, kMaxParallelBench), injected,
                        Waits::OnOne));
    e.count_per_record = t / busiest - 1;
    e.unit_cost_ns = busiest / records_;
    e.predicted_ns_per_record = e.count_per_record * e.unit_cost_ns;
    return drop(e);
  }

  // Two threads on two CPUs: while the other path's work runs beside the critical one, the
  // machine runs both at its two-thread capacity, not twice one's (a shared VM's CPUs are not
  // independent), so the critical path stretches by the other's load x (2 / capacity - 1).
  ComponentEstimate running_beside(const Path& other, const Path& critical) const {
    if (cores_ < 2) return slowdown(0, 1, 0, Waits::OnOne);  // one CPU: no two paths to slow
    const double both = other.length_ns(records_) + critical.length_ns(records_);
    const double injected =
        (other.injected_ns(records_) + critical.injected_ns(records_)) / std::max(both, 1.0);
    ComponentEstimate e = slowdown(other.length_ns(records_), 2, injected, Waits::OnOne);
    e.benchmark = fmt::format(
        "{}'s load beside the critical path x (2 / capacity {:.2f} - 1), capacity = {}", other.name,
        capacity(2, injected, Waits::OnOne), capacity_source(2, injected, Waits::OnOne));
    return e;
  }

  // Each partition's share of the records as the run counted them, or even shares.
  std::vector<double> shares_or_even(int partitions) const {
    const size_t n = static_cast<size_t>(std::max(partitions, 1));
    if (c_.partition_shares.size() == n) return c_.partition_shares;
    return std::vector<double>(n, 1.0 / double(n));
  }
  // adaptive's workers over `cpus` CPUs (worker p on the (p mod cpus)-th): each CPU's share of the
  // records, largest first.
  std::vector<double> worker_shares(size_t cpus) const {
    const std::vector<double> shares = shares_or_even(c_.partitions);
    std::vector<double> loads(std::max<size_t>(cpus, 1), 0.0);
    for (size_t p = 0; p < shares.size(); ++p) loads[p % loads.size()] += shares[p];
    std::sort(loads.rbegin(), loads.rend());
    return loads;
  }
  // Shares of the records per CPU, largest first: partition (or worker) p's records on slot p's
  // CPU (p mod cores), as thread_placement pins them and as the OS spreads up to `cores` threads.
  // Even shares where the run did not count them per partition.
  std::vector<double> loads_per_cpu(int partitions) const {
    return worker_shares(std::min<size_t>(static_cast<size_t>(std::max(partitions, 1)), cores_));
  }
  // The critical path as a fraction of the baseline's work, for CPU loads sorted largest first:
  // while k CPUs still have work, each advances at capacity(k) / k of one CPU alone, and the
  // largest load finishes last. Even loads on k CPUs give 1 / capacity(k); one CPU gives 1.
  // `injected`: the share of the work that is injected rounds (capacity).
  double split_factor(const std::vector<double>& loads, double injected,
                      Waits waits = Waits::ForAll) const {
    double t = 0;
    for (size_t k = 1; k <= loads.size(); ++k) {
      const double next = k < loads.size() ? loads[k] : 0.0;
      t += (loads[k - 1] - next) * double(k) / capacity(static_cast<int>(k), injected, waits);
    }
    return t;
  }

  // The baseline's work spread over CPUs with these loads: wall x (split_factor - 1), negative
  // where parallelism takes work off the path, positive where the machine runs them slower.
  ComponentEstimate parallel_work(const std::vector<double>& loads, double t,
                                  double injected) const {
    const int running = static_cast<int>(loads.size());
    const int n = std::min(running, kMaxParallelBench);
    const double cap = capacity(running, injected);
    ComponentEstimate e;
    e.name = "parallel_work";
    e.benchmark = fmt::format("{} = capacity {:.2f}, busiest CPU {:.0f}% of the records",
                              capacity_source(n, injected), cap, 100 * loads.front());
    e.count_per_record = t - 1;
    e.unit_cost_ns = base_.wall_ns / records_;
    e.predicted_ns_per_record = e.count_per_record * e.unit_cost_ns;
    return drop(e);
  }

  // adaptive's reader writes every record it hands off: decoded, or deep-copied.
  bool born_on_reader() const { return c_.source == "materialized" || c_.handoff == "deep-copy"; }
  // Records written on another core, read and then freed on this path.
  void used_elsewhere(std::vector<ComponentEstimate>& out, double records) const {
    out.push_back(component("record_lines", records));
    out.push_back(component("remote_frees", records));
  }

  // A validation cell's injected rounds, on the path that runs the engine over `records`.
  void injected(std::vector<ComponentEstimate>& out, double records) const {
    if (c_.injected_work > 0) out.push_back(component("injected_work", c_.injected_work * records));
  }

  void keep_critical(ExplainRow& row, const Path& critical, const Path& other) const {
    for (const ComponentEstimate& e : critical.components) row.components.push_back(e);
    row.critical_path = fmt::format("{} ({:.1f} ns/rec) over {} ({:.1f} ns/rec)", critical.name,
                                    critical.length_ns(records_) / records_, other.name,
                                    other.length_ns(records_) / records_);
  }

  const CellCounts& c_;
  const CellCounts& base_;
  const MicrobenchCosts& costs_;
  unsigned cores_;
  double records_;
  const std::set<std::string>& dropped_;
};

// The model of each strategy, by the name a matrix cell gives it.
using StrategyModel = void (*)(const Model&, ExplainRow&);
const std::map<std::string, StrategyModel>& strategy_models() {
  static const std::map<std::string, StrategyModel> models = {
      {"per_record_lock", [](const Model& m, ExplainRow& r) { m.single_loop(r, true); }},
      {"batch_lock", [](const Model& m, ExplainRow& r) { m.single_loop(r, false); }},
      {"lockless_stp", [](const Model& m, ExplainRow& r) { m.lockless_stp(r); }},
      {"adaptive", [](const Model& m, ExplainRow& r) { m.adaptive(r); }},
      {"streaming", [](const Model& m, ExplainRow& r) { m.streaming(r); }},
  };
  return models;
}

void Model::explain(ExplainRow& row) const {
  auto it = strategy_models().find(c_.strategy);
  if (it == strategy_models().end())
    throw ExplainError(
        fmt::format("{}: the model has no rule for strategy '{}'", c_.id, c_.strategy));
  it->second(*this, row);
}

// The summary's key: what makes two cells the same strategy for the model.
std::string group_of(const CellCounts& c) {
  std::string g = c.strategy;
  if (c.strategy == "streaming") g += " " + c.streaming;
  if (c.strategy == "adaptive" || c.strategy == "lockless_stp")
    g += fmt::format(" p{}", c.partitions);
  if (c.strategy == "adaptive") g += " " + c.queue;
  if (c.source != "lent") g += " src-" + c.source;
  if (c.handoff != "move") g += " " + c.handoff;
  if (c.injected_work > 0) g += fmt::format(" w{}", c.injected_work);
  return g;
}

// A paired cell's probes before its pairs (empty where it has none); throws ExplainError naming
// the cell when the field is not an array of numbers.
std::vector<double> line_probes(const nlohmann::json& cell, const nlohmann::json& paired) {
  if (!paired.contains("line_round_trip_ns")) return {};
  const nlohmann::json& probes = paired["line_round_trip_ns"];
  if (probes.is_array() && std::all_of(probes.begin(), probes.end(),
                                       [](const nlohmann::json& v) { return v.is_number(); }))
    return probes.get<std::vector<double>>();
  throw ExplainError(fmt::format(
      "cell {}: summary.paired.line_round_trip_ns must be an array of numbers (ns per pair)",
      cell.value("id", std::string("?"))));
}

// Measured overhead per record: from the passes paired with the baseline where the result has
// them (with their interval; only the pairs probed inside the regime, when it has one and the
// cell any such pair), else from the two cells' medians.
void measure(ExplainRow& row, const nlohmann::json& cell, const CellCounts& c,
             const CellCounts& base, CrossCoreRegime& regime) {
  const double records = std::max<double>(1, double(c.records));
  const nlohmann::json* paired = nullptr;
  if (cell.contains("summary") && cell["summary"].contains("paired"))
    paired = &cell["summary"]["paired"];
  if (paired == nullptr || !paired->contains("baseline_wall_ns") ||
      (*paired)["baseline_wall_ns"].empty() || !paired->contains("ratio")) {
    row.measured_ns_per_record = (c.wall_ns - base.wall_ns) / records;
    row.baseline_ns_per_record = base.wall_ns / records;
    return;
  }
  std::vector<double> baseline_ns = (*paired)["baseline_wall_ns"].get<std::vector<double>>();
  double ratio = (*paired)["ratio"].get<double>();
  double low = paired->value("low", ratio), high = paired->value("high", ratio);
  row.pairs = baseline_ns.size();
  const std::vector<double> probes = line_probes(cell, *paired);
  if (regime.line_rt_ns > 0 && !probes.empty() && paired->contains("cell_wall_ns")) {
    const auto cell_ns = (*paired)["cell_wall_ns"].get<std::vector<double>>();
    std::vector<double> kept_ratios, kept_baseline;
    for (size_t i = 0; i < probes.size() && i < cell_ns.size() && i < baseline_ns.size(); ++i) {
      if (probes[i] <= 0) continue;  // not probed (restored from an older journal)
      ++regime.pairs;
      if (probes[i] < regime.low_ns || probes[i] > regime.high_ns) {
        ++row.pairs_outside_regime;
        ++regime.pairs_outside;
      } else if (baseline_ns[i] > 0 && cell_ns[i] > 0) {
        kept_ratios.push_back(cell_ns[i] / baseline_ns[i]);
        kept_baseline.push_back(baseline_ns[i]);
      }
    }
    if (row.pairs_outside_regime > 0 && kept_ratios.empty()) {
      regime.notes.push_back(
          fmt::format("{}: none of its {} pairs ran in the regime; measured over all of them",
                      row.cell, row.pairs));
    } else if (row.pairs_outside_regime > 0) {
      const PairedRatio kept = paired_ratio(kept_ratios);
      ratio = kept.ratio;
      low = kept.low;
      high = kept.high;
      baseline_ns = std::move(kept_baseline);
    }
  }
  const double base_ns = median_of(baseline_ns) / records;
  row.paired = true;
  row.baseline_ns_per_record = base_ns;
  row.measured_ns_per_record = (ratio - 1) * base_ns;
  row.measured_low_ns = (low - 1) * base_ns;
  row.measured_high_ns = (high - 1) * base_ns;
  row.within_noise = within_noise_floor(row.measured_low_ns, row.measured_high_ns);
}

}  // namespace

CrossCoreRegime cross_core_regime(const nlohmann::json& matrix, const MicrobenchCosts& costs) {
  CrossCoreRegime regime;
  std::vector<double> probes;
  if (matrix.contains("cells") && matrix["cells"].is_array()) {
    for (const nlohmann::json& cell : matrix["cells"]) {
      if (!cell.contains("summary") || !cell["summary"].contains("paired")) continue;
      for (double ns : line_probes(cell, cell["summary"]["paired"]))
        if (ns > 0) probes.push_back(ns);
    }
  }
  // No probed pair: nothing to leave out of the cells, and the unit costs take every repetition.
  if (probes.empty()) return regime;
  const std::vector<double> microbench = costs.line_probes();
  regime.microbench_probes = microbench.size();
  probes.insert(probes.end(), microbench.begin(), microbench.end());
  regime.line_rt_ns = median_of(probes);
  regime.low_ns = regime.line_rt_ns / CrossCoreRegime::kBand;
  regime.high_ns = regime.line_rt_ns * CrossCoreRegime::kBand;
  return regime;
}

bool within_noise_floor(double low_ns, double high_ns) {
  return low_ns <= 0 && 0 <= high_ns;
}

std::vector<InjectedCheck> check_injected(const std::vector<ExplainRow>& rows) {
  std::map<std::string, const ExplainRow*> by_cell;
  for (const ExplainRow& r : rows) by_cell[r.cell] = &r;
  std::vector<InjectedCheck> out;
  for (const ExplainRow& r : rows) {
    if (r.injected_work == 0) continue;
    const std::string suffix = fmt::format("/w{}", r.injected_work);
    const size_t at = r.cell.rfind(suffix);
    if (at == std::string::npos) continue;
    const std::string twin = r.cell.substr(0, at) + r.cell.substr(at + suffix.size());
    auto it = by_cell.find(twin);
    if (it == by_cell.end()) continue;
    InjectedCheck check;
    check.cell = r.cell;
    check.twin = twin;
    check.rounds = r.injected_work;
    check.predicted_ns = r.predicted_ns_per_record - it->second->predicted_ns_per_record;
    check.measured_ns = r.measured_ns_per_record - it->second->measured_ns_per_record;
    check.within_10pct =
        check.predicted_ns > 0 && std::abs(check.measured_ns / check.predicted_ns - 1) <= 0.1;
    out.push_back(check);
  }
  return out;
}

std::vector<StrategySummary> summarize(const std::vector<ExplainRow>& rows) {
  std::vector<StrategySummary> out;
  std::map<std::string, size_t> index;
  for (const ExplainRow& r : rows) {
    auto [it, fresh] = index.emplace(r.group, out.size());
    if (fresh) {
      out.emplace_back();
      out.back().group = r.group;
    }
    StrategySummary& s = out[it->second];
    ++s.cells;
    if (!r.artifact.empty()) {
      ++s.artifacts;
      continue;
    }
    if (r.within_noise) {
      ++s.within_noise;
      if (r.within_process_floor) ++s.within_process_floor;
      continue;
    }
    ++s.above_noise;
    // By magnitude: a cell faster than direct counts by its saving and its prediction with the
    // same sign flip, so that a group's costs and savings add up instead of cancelling.
    const double sign = r.measured_ns_per_record < 0 ? -1.0 : 1.0;
    s.measured_ns += sign * r.measured_ns_per_record;
    s.predicted_ns += sign * r.predicted_ns_per_record;
    if (r.measured_ns_per_record != 0 &&
        std::abs(r.predicted_ns_per_record / r.measured_ns_per_record - 1) <= 0.2)
      ++s.within_20pct;
  }
  for (StrategySummary& s : out)
    if (s.above_noise > 0 && s.measured_ns != 0) s.explained_share = s.predicted_ns / s.measured_ns;
  return out;
}

std::vector<std::string> Explanation::falling_short(double require, double cells_within) const {
  std::vector<std::string> out;
  for (const StrategySummary& s : summary) {
    if (s.above_noise == 0) continue;
    if (!s.explained_share) {
      out.push_back(fmt::format("{}: its overheads above noise sum to 0", s.group));
      continue;
    }
    const double share = *s.explained_share;
    std::vector<std::string> why;
    if (share < require || share > 2 - require)
      why.push_back(fmt::format("explains {:.0f}% over {} cells above noise (needs {:.0f}-{:.0f}%)",
                                100 * share, s.above_noise, 100 * require, 100 * (2 - require)));
    if (s.within_20pct < cells_within * s.above_noise)
      why.push_back(fmt::format("{} of {} cells above noise within +-20% (needs {:.0f}%)",
                                s.within_20pct, s.above_noise, 100 * cells_within));
    if (!why.empty()) out.push_back(fmt::format("{}: {}", s.group, fmt::join(why, "; ")));
  }
  return out;
}

std::vector<std::string> model_term_names() {
  std::vector<std::string> names = overhead::component_names();
  names.push_back("parallel_work");
  names.push_back("overlapped_base_work");
  return names;
}

Explanation explain_matrix(const nlohmann::json& matrix, const MicrobenchCosts& costs,
                           const std::string& matrix_path, const std::string& microbench_dir,
                           const std::set<std::string>& dropped_terms,
                           const ProcessFloor& process_floor) {
  const std::vector<std::string> known = model_term_names();
  for (const std::string& name : dropped_terms)
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw ExplainError(fmt::format("--drop {}: the model has no such term; its terms: {}", name,
                                     fmt::join(known, ", ")));
  if (!matrix.is_object() || matrix.value("format", std::string()) != "streamgauge-matrix-result/1")
    throw ExplainError(matrix_path +
                       ": not a matrix result (expected format \"streamgauge-matrix-result/1\")");
  Explanation result;
  result.matrix = matrix_path;
  result.microbench = microbench_dir;
  result.regime = cross_core_regime(matrix, costs);
  result.process_floor = process_floor;
  const MicrobenchCosts regime_costs =
      result.regime.line_rt_ns > 0
          ? costs.in_regime(result.regime.low_ns, result.regime.high_ns, result.regime.notes)
          : costs;
  const std::set<std::string>& short_of_regime = regime_costs.short_of_regime();
  result.regime.read_again.assign(short_of_regime.begin(), short_of_regime.end());
  unsigned cores = 1;
  if (matrix.contains("environment") && matrix["environment"].contains("cores"))
    cores = matrix["environment"]["cores"].get<unsigned>();

  std::map<std::string, CellCounts> ok_cells;
  std::set<std::string> problems;
  const nlohmann::json& cells = matrix.at("cells");
  for (const nlohmann::json& cell : cells) {
    if (cell.value("status", std::string()) != "ok" || !cell.contains("samples") ||
        cell["samples"].empty())
      continue;
    ok_cells.emplace(cell.at("id").get<std::string>(), read_cell(cell));
  }
  for (const nlohmann::json& cell : cells) {
    const std::string id = cell.at("id").get<std::string>();
    const std::string strategy = cell.value("strategy", std::string());
    if (strategy == "direct") continue;  // the baseline itself
    if (cell.value("peer", false)) {
      result.not_explained.push_back(id + ": a peer engine, not a coordination strategy");
      continue;
    }
    auto it = ok_cells.find(id);
    if (it == ok_cells.end()) {
      result.not_explained.push_back(id + ": " + cell.value("status", std::string("?")) +
                                     " (no timed samples)");
      continue;
    }
    const CellCounts& c = it->second;
    // An anomalous cell's summary names its baseline only in its pairs (result_output.cpp).
    std::string baseline_id, artifact;
    if (cell.contains("summary")) {
      const nlohmann::json& summary = cell["summary"];
      if (summary.contains("baseline"))
        baseline_id = summary["baseline"].get<std::string>();
      else if (summary.contains("paired") && summary["paired"].contains("baseline"))
        baseline_id = summary["paired"]["baseline"].get<std::string>();
      if (summary.contains("anomaly")) artifact = summary["anomaly"].get<std::string>();
    }
    auto base = ok_cells.find(baseline_id);
    if (baseline_id.empty() || base == ok_cells.end()) {
      result.not_explained.push_back(
          id +
          ": no baseline (its direct cell, same scenario, engine, batch size and records, "
          "is not in the matrix or did not succeed)");
      continue;
    }
    ExplainRow row;
    row.cell = id;
    row.scenario = c.scenario;
    row.strategy = c.strategy;
    row.engine = c.engine;
    if (c.strategy == "streaming") row.streaming_mode = c.streaming;
    row.batch_size = c.batch_size;
    row.partitions = c.partitions;
    row.phase_timing = c.phase_timing;
    row.records = c.records;
    row.injected_work = c.injected_work;
    row.group = group_of(c);
    row.artifact = artifact;
    measure(row, cell, c, base->second, result.regime);
    // Each A/A kind's floor holds for the cells that run as its pair does: threads of their own,
    // or one loop on the calling thread as direct's.
    const bool calling_thread = c.threads <= 1;
    if (process_floor.measured(calling_thread) && row.paired) {
      row.process_floor_ns =
          process_floor.fraction_for(calling_thread) * row.baseline_ns_per_record;
      if (!row.within_noise && process_floor.contains(row.measured_ns_per_record,
                                                      row.baseline_ns_per_record, calling_thread)) {
        row.within_noise = row.within_process_floor = true;
        row.artifact.clear();  // faster than direct, but no further than the same work read
      }
    }
    Model(c, base->second, regime_costs, cores, dropped_terms).explain(row);
    for (ComponentEstimate& e : row.components) {
      if (e.unit_cost_ns < 0) {
        // A component costs something or nothing; a negative difference of two benchmarks is
        // their noise or the wrong benchmark, never a saving.
        problems.insert(fmt::format(
            "{}: unit cost {} = {:.2f} ns < 0 (priced at 0: the microbench difference does not "
            "measure this component)",
            e.name, e.benchmark, e.unit_cost_ns));
        e.unit_cost_ns = 0;
        e.predicted_ns_per_record = 0;
      }
      row.predicted_ns_per_record += e.predicted_ns_per_record;
    }
    row.unexplained_ns_per_record = row.measured_ns_per_record - row.predicted_ns_per_record;
    if (row.measured_ns_per_record != 0)
      row.explained_pct = 100.0 * row.predicted_ns_per_record / row.measured_ns_per_record;
    result.rows.push_back(std::move(row));
  }
  result.unit_cost_problems.assign(problems.begin(), problems.end());
  result.injected_checks = check_injected(result.rows);
  result.summary = summarize(result.rows);
  if (result.rows.empty() && !result.not_explained.empty())
    throw ExplainError(matrix_path +
                       ": no cell could be explained; first: " + result.not_explained.front());
  return result;
}

}  // namespace sg

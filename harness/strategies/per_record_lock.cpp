// per_record_lock: the seeds' V1 job server. One loop reads a batch and takes the shared
// engine's lock around each record. The loop is run_job_loop, shared with batch_lock, so the
// lock granularity is the only difference between the two.
#include "harness/strategies/job_loop.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

class PerRecordLockStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "per_record_lock"; }
  StrategySettings settings() const override {
    return {{Setting::LockKind, Setting::EndOfStream}};
  }
  // direct's loop on direct's thread, plus a lock and an engine call per record.
  bool does_direct_work_plus_more(const JobConfig&) const override { return true; }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning,
                                    const JobInputs&) const override {
    if (config.partitions != 1)
      return "per_record_lock: --partitions has no meaning (one loop over one shared engine)";
    return std::nullopt;
  }
  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    run_single_loop_job(config, inputs, per_record_lock_access, result);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_per_record_lock_strategy() {
  return std::make_unique<PerRecordLockStrategy>();
}

}  // namespace sg

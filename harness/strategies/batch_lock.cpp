// batch_lock: the seeds' V2. The per_record_lock loop, with the shared engine's lock taken once
// per batch instead of once per record.
#include "harness/strategies/job_loop.h"
#include "harness/strategies/strategy.h"

namespace sg {
namespace {

class BatchLockStrategy final : public Strategy {
 public:
  std::string_view name() const override { return "batch_lock"; }
  StrategySettings settings() const override {
    return {{Setting::LockKind, Setting::EndOfStream}};
  }
  // direct's loop on direct's thread, plus a lock per batch.
  bool does_direct_work_plus_more(const JobConfig&) const override { return true; }

 protected:
  std::optional<std::string> reject(const JobConfig& config, Partitioning,
                                    const JobInputs&) const override {
    if (config.partitions != 1)
      return "batch_lock: --partitions has no meaning (one loop over one shared engine)";
    return std::nullopt;
  }
  void execute(const JobConfig& config, const JobInputs& inputs, RunResult& result) const override {
    run_single_loop_job(config, inputs, batch_lock_access, result);
  }
};

}  // namespace

std::unique_ptr<Strategy> make_batch_lock_strategy() {
  return std::make_unique<BatchLockStrategy>();
}

}  // namespace sg

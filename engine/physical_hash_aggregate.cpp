#include "engine/physical_hash_aggregate.h"

#include "engine/group_emitter.h"
#include "engine/group_table.h"
#include "engine/key_evaluator.h"
#include "engine/physical_filter.h"
#include "engine/prefetch.h"

namespace sg {
namespace {

class HashAggregateEngine final : public Engine {
 public:
  explicit HashAggregateEngine(std::shared_ptr<const QueryPlan> plan)
      : plan_(std::move(plan)),
        where_(plan_->where.get()),
        key_(plan_->group_keys),
        updater_(plan_->aggregates),
        groups_(plan_->group_keys.size(), plan_->aggregates.size(), &interner_),
        emitter_(*plan_),
        emit_changes_(plan_->emission == Emission::Changes) {}

  void process(const RecordPtr& in, Batch& out) override { process_one(in, out); }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    if (!emit_changes_) return accumulate_batch(in);
    out.reserve(out.size() + in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      prefetch_ahead(in, i);
      process_one(in[i], out);
    }
  }

  void finish(Batch& out) override {
    if (emit_changes_ || finished_) return;
    finished_ = true;
    if (groups_.empty() && plan_->group_keys.empty()) {
      RecordMeta meta;
      meta.key_hash = kKeyHashSeed;  // the hash of the empty key, as for any global group
      if (emitter_.emit_empty(meta, out)) ++stats_.records_out;
      return;
    }
    out.reserve(out.size() + groups_.size());
    for (uint32_t g = 0; g < groups_.size(); ++g) emit(g, out);
  }

  EngineStats stats() const override { return stats_; }

 private:
  void process_one(const RecordPtr& in, Batch& out) {
    ++stats_.records_in;
    const EvalRow row{in->values_span().data()};
    if (!where_.keeps(row)) return;
    const uint64_t hash = key_.evaluate(row);
    const uint32_t g = groups_.find_or_add(key_.pointers(), hash);
    updater_.update(groups_.states(g), row);
    groups_.last_meta(g) = in->meta();
    if (emit_changes_) emit(g, out);
  }

  // EMIT FINAL emits nothing per record, so a batch is done in two passes: find every row's
  // group, then apply the aggregates row after row, one aggregate at a time (update_many), which
  // pays the dispatch on the aggregate's kind once per batch rather than once per row.
  void accumulate_batch(std::span<const RecordPtr> in) {
    groups_of_batch_.clear();
    for (size_t i = 0; i < in.size(); ++i) {
      prefetch_ahead(in, i);
      ++stats_.records_in;
      const EvalRow row{in[i]->values_span().data()};
      if (!where_.keeps(row)) continue;
      const uint64_t hash = key_.evaluate(row);
      const uint32_t g = groups_.find_or_add(key_.pointers(), hash);
      groups_.last_meta(g) = in[i]->meta();
      groups_of_batch_.push_back({g, row.columns});
    }
    // Groups were added above: only now are the states' addresses final.
    targets_.clear();
    for (const auto& [g, columns] : groups_of_batch_) {
      targets_.push_back({groups_.states(g), columns});
    }
    updater_.update_many(targets_);
  }

  void emit(uint32_t g, Batch& out) {
    RecordMeta meta = groups_.last_meta(g);
    meta.key_hash = groups_.hash(g);
    if (emitter_.emit(groups_, g, meta, out)) ++stats_.records_out;
  }

  std::shared_ptr<const QueryPlan> plan_;
  PhysicalFilter where_;
  KeyEvaluator key_;
  AggregateUpdater updater_;
  StringInterner interner_;  // before groups_: the groups' string keys are its copies
  GroupTable groups_;
  GroupEmitter emitter_;
  const bool emit_changes_;
  bool finished_ = false;
  std::vector<std::pair<uint32_t, const Value*>> groups_of_batch_;  // group, row: EMIT FINAL
  std::vector<AggregateUpdater::Target> targets_;
  EngineStats stats_;
};

}  // namespace

std::unique_ptr<Engine> make_hash_aggregate_engine(std::shared_ptr<const QueryPlan> plan) {
  return std::make_unique<HashAggregateEngine>(std::move(plan));
}

}  // namespace sg

#include "engine/physical_rows_window.h"

#include "engine/group_table.h"
#include "engine/key_evaluator.h"
#include "engine/physical_filter.h"
#include "engine/physical_projection.h"
#include "engine/prefetch.h"
#include "engine/ring_deque.h"

namespace sg {
namespace {

// The state of one partition of one window spec.
struct RowsPartition {
  uint64_t rows = 0;  // rows seen so far; row r sits in ring slot r % frame_rows
  // Arguments of the COUNT/SUM/AVG functions, sum_count per row, for subtracting them again
  // when they leave the frame.
  std::vector<Value> ring;
  std::vector<AggState> sums;  // one per COUNT/SUM/AVG function
  struct Entry {
    uint64_t row = 0;
    Value value;
  };
  std::vector<RingDeque<Entry>> extremes;  // one per MIN/MAX function
};

// One window spec's partitions and the plan of its functions.
class WindowState {
 public:
  explicit WindowState(const RowsWindowSpec& spec)
      : frame_rows_(static_cast<uint64_t>(spec.frame_rows)),
        key_(spec.partition_by),
        partitions_index_(spec.partition_by.size(), 0) {
    for (size_t f = 0; f < spec.functions.size(); ++f) {
      const AggregateSpec& fn = spec.functions[f];
      const bool extreme = fn.kind == AggKind::Min || fn.kind == AggKind::Max;
      const uint32_t column = fn.arg && fn.arg->op == ExprOp::Column ? fn.arg->index : kNotAColumn;
      functions_.push_back(Function{
          fn.kind, extreme, static_cast<uint32_t>(extreme ? extreme_count_++ : sum_count_++),
          spec.result_slots[f], column, fn.arg.get(), &fn.site});
    }
  }

  // Adds the row to its partition and writes each function's value into `results`. Returns
  // the partition key's hash.
  uint64_t process(const EvalRow& row, Value* results) {
    const uint64_t hash = key_.evaluate(row);
    const uint32_t p = partitions_index_.find_or_add(key_.pointers(), hash);
    if (p == partitions_.size()) {
      partitions_.emplace_back();
      partitions_.back().sums.resize(sum_count_);
      partitions_.back().extremes.resize(extreme_count_);
    }
    RowsPartition& part = partitions_[p];
    const uint64_t r = part.rows++;
    const bool full = r >= frame_rows_;
    const size_t ring_base = (r % frame_rows_) * sum_count_;
    if (!full) part.ring.resize(part.ring.size() + sum_count_);

    for (const Function& fn : functions_) {
      Value scratch;
      // A column argument (the usual case) is read in place; COUNT(*) reads the NULL no_argument_.
      const Value& v = fn.column != kNotAColumn ? row.columns[fn.column]
                       : fn.arg                 ? eval_ref(*fn.arg, row, scratch)
                                                : no_argument_;
      if (!fn.extreme) {
        AggState& s = part.sums[fn.position];
        Value& cell = part.ring[ring_base + fn.position];
        if (full) agg_remove(fn.kind, s, cell, *fn.site, row.columns);
        agg_add(fn.kind, s, v, *fn.site, row.columns);
        cell = v;
        results[fn.result_slot] = agg_result(fn.kind, s);
        continue;
      }
      RingDeque<RowsPartition::Entry>& d = part.extremes[fn.position];
      while (!d.empty() && d.front().row + frame_rows_ <= r) d.pop_front();
      if (!v.is_null()) {
        // Entries the new value dominates can never be the extreme again.
        if (fn.kind == AggKind::Min) {
          while (!d.empty() && !value_less(d.back().value, v)) d.pop_back();
        } else {
          while (!d.empty() && !value_less(v, d.back().value)) d.pop_back();
        }
        d.push_back(RowsPartition::Entry{r, v});
      }
      results[fn.result_slot] = d.empty() ? Value() : d.front().value;
    }
    return hash;
  }

 private:
  struct Function {
    AggKind kind;
    bool extreme;       // MIN/MAX: a deque; otherwise a running sum
    uint32_t position;  // index into sums/ring or extremes
    uint32_t result_slot;
    uint32_t column;       // the argument's column, or kNotAColumn
    const BoundExpr* arg;  // null for COUNT(*)
    const ExprSite* site;  // the call, for overflow errors
  };
  static constexpr uint32_t kNotAColumn = ~0u;

  const Value no_argument_;

  uint64_t frame_rows_;
  KeyEvaluator key_;
  GroupTable partitions_index_;  // partition key -> index into partitions_
  std::vector<RowsPartition> partitions_;
  std::vector<Function> functions_;
  size_t sum_count_ = 0;
  size_t extreme_count_ = 0;
};

class RowsWindowEngine final : public Engine {
 public:
  explicit RowsWindowEngine(std::shared_ptr<const QueryPlan> plan)
      : plan_(std::move(plan)),
        where_(plan_->where.get()),
        projection_(plan_->outputs),
        results_(plan_->window_result_count) {
    windows_.reserve(plan_->windows.size());
    for (const RowsWindowSpec& spec : plan_->windows) windows_.emplace_back(spec);
  }

  void process(const RecordPtr& in, Batch& out) override { process_one(in, out); }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    out.reserve(out.size() + in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      prefetch_ahead(in, i);
      process_one(in[i], out);
    }
  }
  void finish(Batch&) override {}
  EngineStats stats() const override { return stats_; }

 private:
  void process_one(const RecordPtr& in, Batch& out) {
    ++stats_.records_in;
    const EvalRow input{in->values_span().data()};
    if (!where_.keeps(input)) return;
    RecordMeta meta = in->meta();
    for (size_t w = 0; w < windows_.size(); ++w) {
      const uint64_t hash = windows_[w].process(input, results_.data());
      if (w == 0) meta.key_hash = hash;
    }
    const EvalRow row{input.columns, nullptr, results_.data()};
    out.push_back(projection_.project(row, meta));
    ++stats_.records_out;
  }

  std::shared_ptr<const QueryPlan> plan_;
  PhysicalFilter where_;
  PhysicalProjection projection_;
  std::vector<WindowState> windows_;
  std::vector<Value> results_;
  EngineStats stats_;
};

}  // namespace

std::unique_ptr<Engine> make_rows_window_engine(std::shared_ptr<const QueryPlan> plan) {
  return std::make_unique<RowsWindowEngine>(std::move(plan));
}

}  // namespace sg

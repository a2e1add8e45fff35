#include "engine/physical_tumbling_window.h"

#include <algorithm>
#include <deque>
#include <limits>

#include "engine/group_emitter.h"
#include "engine/group_table.h"
#include "engine/key_evaluator.h"
#include "engine/physical_filter.h"
#include "engine/prefetch.h"

namespace sg {

int64_t tumbling_window_start(int64_t t, int64_t size_ms) {
  int64_t q = t / size_ms;
  if (t % size_ms != 0 && t < 0) --q;  // C++ truncates toward zero; windows floor
  return q * size_ms;
}

namespace {

class TumblingWindowEngine final : public Engine {
 public:
  explicit TumblingWindowEngine(std::shared_ptr<const QueryPlan> plan)
      : plan_(std::move(plan)),
        where_(plan_->where.get()),
        key_(plan_->group_keys),
        updater_(plan_->aggregates),
        emitter_(*plan_),
        size_(plan_->window_ms),
        lateness_(plan_->allowed_lateness_ms),
        emit_changes_(plan_->emission == Emission::Changes) {}

  void process(const RecordPtr& in, Batch& out) override { process_one(in, out); }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    if (emit_changes_) out.reserve(out.size() + in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      prefetch_ahead(in, i);
      process_one(in[i], out);
    }
  }

  void finish(Batch& out) override {
    while (!open_.empty()) close_oldest(out);
  }

  EngineStats stats() const override { return stats_; }

 private:
  struct OpenWindow {
    int64_t start;
    std::unique_ptr<GroupTable> groups;
  };

  void process_one(const RecordPtr& in, Batch& out) {
    ++stats_.records_in;
    const EvalRow row{in->values_span().data()};
    int64_t t;
    if (plan_->time_column) {
      const Value& v = row.columns[*plan_->time_column];
      if (v.is_null()) {
        ++stats_.late_records;
        return;
      }
      t = v.as_int();  // the planner allows TIMESTAMP and INTEGER time columns only
    } else {
      t = in->event_time();
    }
    if (where_.keeps(row)) add(t, in, row, out);
    advance_watermark(t, out);
  }

  void add(int64_t t, const RecordPtr& in, const EvalRow& row, Batch& out) {
    const int64_t start = tumbling_window_start(t, size_);
    if (seen_any_ && start + size_ <= watermark_) {
      ++stats_.late_records;
      return;
    }
    GroupTable& table = window_for(start);
    const uint64_t hash = key_.evaluate(row);
    const uint32_t g = table.find_or_add(key_.pointers(), hash);
    updater_.update(table.states(g), row);
    table.last_meta(g) = in->meta();
    if (emit_changes_) emit(table, g, start, out);
  }

  void advance_watermark(int64_t t, Batch& out) {
    if (seen_any_ && t <= max_time_) return;
    seen_any_ = true;
    max_time_ = t;
    // Saturate instead of overflowing for times near the bottom of the range.
    watermark_ = t < std::numeric_limits<int64_t>::min() + lateness_
                     ? std::numeric_limits<int64_t>::min()
                     : t - lateness_;
    while (!open_.empty() && open_.front().start + size_ <= watermark_) close_oldest(out);
  }

  // The table of the window starting at `start`, opened if needed. Records nearly always go to
  // the newest window; out-of-order ones (within the lateness) find theirs by binary search.
  GroupTable& window_for(int64_t start) {
    if (!open_.empty() && open_.back().start == start) return *open_.back().groups;
    auto it = open_.end();
    if (!open_.empty() && start < open_.back().start) {
      it = std::lower_bound(open_.begin(), open_.end(), start,
                            [](const OpenWindow& w, int64_t s) { return w.start < s; });
      if (it != open_.end() && it->start == start) return *it->groups;
    }
    return *open_.insert(it, OpenWindow{start, take_table()})->groups;
  }

  std::unique_ptr<GroupTable> take_table() {
    if (spare_.empty()) {
      return std::make_unique<GroupTable>(plan_->group_keys.size(), plan_->aggregates.size(),
                                          &interner_);
    }
    std::unique_ptr<GroupTable> t = std::move(spare_.back());
    spare_.pop_back();
    return t;
  }

  void close_oldest(Batch& out) {
    OpenWindow w = std::move(open_.front());
    open_.pop_front();
    if (!emit_changes_) {
      out.reserve(out.size() + w.groups->size());
      for (uint32_t g = 0; g < w.groups->size(); ++g) emit(*w.groups, g, w.start, out);
    }
    w.groups->clear();
    spare_.push_back(std::move(w.groups));
  }

  void emit(const GroupTable& table, uint32_t g, int64_t start, Batch& out) {
    RecordMeta meta = table.last_meta(g);
    meta.event_time = start + size_ - 1;
    meta.key_hash = table.hash(g);
    if (emitter_.emit(table, g, meta, out)) ++stats_.records_out;
  }

  std::shared_ptr<const QueryPlan> plan_;
  PhysicalFilter where_;
  KeyEvaluator key_;
  AggregateUpdater updater_;
  GroupEmitter emitter_;
  const int64_t size_;
  const int64_t lateness_;
  const bool emit_changes_;
  // Before the tables: their string keys are its copies, shared by every window.
  StringInterner interner_;
  std::deque<OpenWindow> open_;  // ordered by start
  std::vector<std::unique_ptr<GroupTable>> spare_;
  bool seen_any_ = false;
  int64_t max_time_ = 0;
  int64_t watermark_ = 0;
  EngineStats stats_;
};

}  // namespace

std::unique_ptr<Engine> make_tumbling_window_engine(std::shared_ptr<const QueryPlan> plan) {
  return std::make_unique<TumblingWindowEngine>(std::move(plan));
}

}  // namespace sg

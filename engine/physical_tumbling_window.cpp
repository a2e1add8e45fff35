#include "engine/physical_tumbling_window.h"

#include <algorithm>
#include <deque>
#include <limits>

#include "engine/group_emitter.h"
#include "engine/group_table.h"
#include "engine/key_evaluator.h"
#include "engine/physical_filter.h"
#include "engine/prefetch.h"
#include "engine/window_groups.h"

namespace sg {

namespace {

// Window bounds are computed in 128 bits: near either end of the int64 range a window's start
// (for t near INT64_MIN) or end (for t near INT64_MAX) does not fit in 64, and overflowing
// there would be undefined behaviour and lose records. (A GCC/Clang extension.)
using WindowTime = __int128;

WindowTime window_start_exact(int64_t t, int64_t size_ms) {
  int64_t q = t / size_ms;
  if (t % size_ms != 0 && t < 0) --q;  // C++ truncates toward zero; windows floor
  return static_cast<WindowTime>(q) * size_ms;
}

int64_t clamp_to_int64(WindowTime v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

}  // namespace

int64_t tumbling_window_start(int64_t t, int64_t size_ms) {
  return clamp_to_int64(window_start_exact(t, size_ms));
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
        emit_changes_(plan_->emission == Emission::Changes),
        keys_(plan_->group_keys.size(), 0, &interner_) {}

  void process(const RecordPtr& in, Batch& out) override { process_one(in, out); }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    if (emit_changes_) out.reserve(out.size() + in.size());
    // EMIT FINAL: updates are collected and applied aggregate by aggregate (update_many) when a
    // window is about to close and at the end of the batch, paying the dispatch on each
    // aggregate's kind per batch instead of per row. EMIT CHANGES needs each row's state at once.
    deferring_ = !emit_changes_;
    // Should a row throw, no update may outlive the batch whose records it points into.
    struct EndOfBatch {
      TumblingWindowEngine& e;
      ~EndOfBatch() {
        e.deferring_ = false;
        e.deferred_.clear();
      }
    } end_of_batch{*this};
    for (size_t i = 0; i < in.size(); ++i) {
      prefetch_ahead(in, i);
      process_one(in[i], out);
    }
    apply_deferred();
  }

  void finish(Batch& out) override {
    while (!open_.empty()) close_oldest(nullptr, out);
  }

  EngineStats stats() const override { return stats_; }

 private:
  struct OpenWindow {
    WindowTime start;
    std::unique_ptr<WindowGroups> groups;
  };

  // Past this many keys, a dictionary mostly holding keys of closed windows is rebuilt.
  static constexpr size_t kCompactKeysAbove = 1 << 16;

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
    advance_watermark(t, in, out);
  }

  void add(int64_t t, const RecordPtr& in, const EvalRow& row, Batch& out) {
    // Nearly every record falls in the window of the one before: that case skips the division,
    // the late check (an open window is never late: it closes as soon as the watermark passes
    // its end, and the cache with it) and the search of the open windows.
    if (!(cached_groups_ && t >= cached_from_ && t < cached_until_)) {
      if (!enter_window(t)) return;
    }
    WindowGroups& groups = *cached_groups_;
    const uint64_t hash = key_.evaluate(row);
    const uint32_t key_id = keys_.find_or_add(key_.pointers(), hash);
    // Deferred updates point into the states: they are applied before a new group moves them.
    const uint32_t g = groups.group_of(key_id, [this] { apply_deferred(); });
    if (deferring_) {
      deferred_.push_back({groups.states(g), row.columns});
    } else {
      updater_.update(groups.states(g), row);
    }
    groups.note_input(g, in->meta());
    if (emit_changes_) emit(groups, g, cached_row_time_, groups.last_input(g), out);
  }

  // Makes the window of `t` the cached one, opening it if needed; false (and counted) when that
  // window has closed already: the record is late.
  [[gnu::noinline]] bool enter_window(int64_t t) {
    const WindowTime start = window_start_exact(t, size_);
    if (seen_any_ && start + size_ <= watermark_) {
      ++stats_.late_records;
      return false;
    }
    cached_groups_ = &window_for(start);
    // The bounds in 64 bits: clamping only shrinks the range the cache answers for (a time at
    // INT64_MAX in a window that ends past it takes this path each time, and finds it again).
    cached_from_ = clamp_to_int64(start);
    cached_until_ = clamp_to_int64(start + size_);
    cached_row_time_ = clamp_to_int64(start + size_ - 1);
    return true;
  }

  // `in`: the record whose time this is; it closes the windows that the watermark passes.
  void advance_watermark(int64_t t, const RecordPtr& in, Batch& out) {
    if (seen_any_ && t <= max_time_) return;
    seen_any_ = true;
    max_time_ = t;
    // Saturate instead of overflowing for times near the bottom of the range.
    watermark_ = t < std::numeric_limits<int64_t>::min() + lateness_
                     ? std::numeric_limits<int64_t>::min()
                     : t - lateness_;
    if (watermark_ >= close_at_) close_due(in, out);
  }

  [[gnu::noinline]] void close_due(const RecordPtr& closing, Batch& out) {
    while (!open_.empty() && open_.front().start + size_ <= watermark_)
      close_oldest(&closing->meta(), out);
  }

  // The oldest window's end in 64 bits (INT64_MAX when none is open or it ends past the range,
  // where close_due() then checks exactly): the one comparison most records pay.
  void refresh_close_at() {
    close_at_ = open_.empty() ? std::numeric_limits<int64_t>::max()
                              : clamp_to_int64(open_.front().start + size_);
  }

  // The groups of the window starting at `start`, opened if needed. Records nearly always go to
  // the newest window; out-of-order ones (within the lateness) find theirs by binary search.
  WindowGroups& window_for(WindowTime start) {
    if (!open_.empty() && open_.back().start == start) return *open_.back().groups;
    auto it = open_.end();
    if (!open_.empty() && start < open_.back().start) {
      it = std::lower_bound(open_.begin(), open_.end(), start,
                            [](const OpenWindow& w, WindowTime s) { return w.start < s; });
      if (it != open_.end() && it->start == start) return *it->groups;
    }
    WindowGroups& opened = *open_.insert(it, OpenWindow{start, take_table()})->groups;
    refresh_close_at();
    return opened;
  }

  std::unique_ptr<WindowGroups> take_table() {
    if (spare_.empty()) return std::make_unique<WindowGroups>(plan_->aggregates.size());
    std::unique_ptr<WindowGroups> t = std::move(spare_.back());
    spare_.pop_back();
    return t;
  }

  // Applies the collected updates. Must run before a window's states are read or recycled, and
  // before a new group moves them (WindowGroups::group_of() calls it then).
  void apply_deferred() {
    if (deferred_.empty()) return;
    updater_.update_many(deferred_);
    deferred_.clear();
  }

  // `closing`: the record that closed the window, or null at end of stream.
  void close_oldest(const RecordMeta* closing, Batch& out) {
    apply_deferred();
    OpenWindow w = std::move(open_.front());
    open_.pop_front();
    refresh_close_at();
    if (w.groups.get() == cached_groups_) cached_groups_ = nullptr;
    if (!emit_changes_) {
      const int64_t row_time = clamp_to_int64(w.start + size_ - 1);
      out.reserve(out.size() + w.groups->size());
      if (closing) {
        const WindowGroups::LastInput from{closing->offset, closing->partition};
        for (uint32_t g = 0; g < w.groups->size(); ++g) emit(*w.groups, g, row_time, from, out);
      } else {
        for (uint32_t g = 0; g < w.groups->size(); ++g)
          emit(*w.groups, g, row_time, w.groups->last_input(g), out);
      }
    }
    w.groups->clear();
    spare_.push_back(std::move(w.groups));
    if (keys_.size() > kCompactKeysAbove) compact_keys();
  }

  // Drops the dictionary's keys that no open window uses (a stream of ever-new keys would
  // otherwise grow it without end), when they are most of it: amortised O(1) per key.
  void compact_keys() {
    size_t live = 0;
    for (const OpenWindow& w : open_) live += w.groups->size();
    if (keys_.size() < 4 * live) return;
    GroupTable compacted(plan_->group_keys.size(), 0, &interner_);
    std::vector<uint32_t> new_id(keys_.size(), ~0u);
    std::vector<const Value*> key(plan_->group_keys.size());
    for (const OpenWindow& w : open_) {
      for (uint32_t g = 0; g < w.groups->size(); ++g) {
        const uint32_t old = w.groups->key_id(g);
        if (new_id[old] != ~0u) continue;
        for (size_t k = 0; k < key.size(); ++k) key[k] = &keys_.keys(old)[k];
        new_id[old] = compacted.find_or_add(key.data(), keys_.hash(old));
      }
    }
    for (OpenWindow& w : open_) w.groups->renumber(new_id);
    keys_ = std::move(compacted);
  }

  // `row_time`: the window's end - 1, the output row's event time. `from`: the input the row
  // comes from (a latency is measured from it): the group's latest input for EMIT CHANGES and
  // at end of stream, the record that closed the window otherwise.
  void emit(WindowGroups& groups, uint32_t g, int64_t row_time, const WindowGroups::LastInput& from,
            Batch& out) {
    const uint32_t key_id = groups.key_id(g);
    RecordMeta meta;
    meta.offset = from.offset;
    meta.partition = from.partition;
    meta.event_time = row_time;
    meta.key_hash = keys_.hash(key_id);
    if (emitter_.emit(keys_.keys(key_id), groups.states(g), meta, out)) ++stats_.records_out;
  }

  std::shared_ptr<const QueryPlan> plan_;
  PhysicalFilter where_;
  KeyEvaluator key_;
  AggregateUpdater updater_;
  GroupEmitter emitter_;
  const int64_t size_;
  const int64_t lateness_;
  const bool emit_changes_;
  StringInterner interner_;      // before keys_: the dictionary's string keys are its copies
  GroupTable keys_;              // every GROUP BY key of the open windows -> its key id
  std::deque<OpenWindow> open_;  // ordered by start
  // The window the last record went to (its groups live until it closes; see add()), the times
  // it holds, [cached_from_, cached_until_), and its rows' event time.
  WindowGroups* cached_groups_ = nullptr;
  int64_t cached_from_ = 0;
  int64_t cached_until_ = 0;
  int64_t cached_row_time_ = 0;
  std::vector<std::unique_ptr<WindowGroups>> spare_;
  bool deferring_ = false;  // inside an EMIT FINAL process_batch()
  std::vector<AggregateUpdater::Target> deferred_;
  bool seen_any_ = false;
  int64_t max_time_ = 0;
  int64_t watermark_ = 0;
  int64_t close_at_ = std::numeric_limits<int64_t>::max();  // see refresh_close_at()
  EngineStats stats_;
};

}  // namespace

std::unique_ptr<Engine> make_tumbling_window_engine(std::shared_ptr<const QueryPlan> plan) {
  return std::make_unique<TumblingWindowEngine>(std::move(plan));
}

}  // namespace sg

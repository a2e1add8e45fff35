#include "engine/physical_select.h"

#include "engine/physical_filter.h"
#include "engine/physical_projection.h"
#include "engine/prefetch.h"

namespace sg {
namespace {

class SelectEngine final : public Engine {
 public:
  explicit SelectEngine(std::shared_ptr<const QueryPlan> plan)
      : plan_(std::move(plan)), where_(plan_->where.get()), projection_(plan_->outputs) {}

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
    const EvalRow row{in->values_span().data()};
    if (!where_.keeps(row)) return;
    ++stats_.records_out;
    if (plan_->shares_input) {
      out.push_back(in);
      return;
    }
    RecordMeta meta = in->meta();
    meta.key_hash = 0;
    out.push_back(projection_.project(row, meta));
  }

  std::shared_ptr<const QueryPlan> plan_;
  PhysicalFilter where_;
  PhysicalProjection projection_;
  EngineStats stats_;
};

}  // namespace

std::unique_ptr<Engine> make_select_engine(std::shared_ptr<const QueryPlan> plan) {
  return std::make_unique<SelectEngine>(std::move(plan));
}

}  // namespace sg

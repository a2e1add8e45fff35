// CompiledQuery: parse, plan, then hand out engines. Also explain() and partition_hash().
#include <fmt/format.h>

#include "engine/physical_filter.h"
#include "engine/physical_hash_aggregate.h"
#include "engine/physical_rows_window.h"
#include "engine/physical_select.h"
#include "engine/physical_tumbling_window.h"
#include "engine/plan.h"
#include "engine/query.h"
#include "engine/sql/parser.h"

namespace sg {

const char* partitioning_name(Partitioning p) {
  switch (p) {
    case Partitioning::Any:
      return "any";
    case Partitioning::ByKey:
      return "by-key";
    case Partitioning::Single:
      return "single";
  }
  return "?";
}

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  return out;
}

class PlannedQuery final : public CompiledQuery {
 public:
  explicit PlannedQuery(std::shared_ptr<const QueryPlan> plan) : plan_(std::move(plan)) {}

  const Schema& input_schema() const override { return plan_->input; }
  const Schema& output_schema() const override { return plan_->output; }
  const std::string& source_name() const override { return plan_->source; }
  Partitioning partitioning() const override { return plan_->partitioning; }

  std::unique_ptr<Engine> instantiate() const override {
    switch (plan_->shape) {
      case PlanShape::Select:
        return make_select_engine(plan_);
      case PlanShape::HashAggregate:
        return make_hash_aggregate_engine(plan_);
      case PlanShape::TumblingWindow:
        return make_tumbling_window_engine(plan_);
      case PlanShape::RowsWindow:
        return make_rows_window_engine(plan_);
    }
    return nullptr;
  }

  uint64_t partition_hash(const Record& in) const override {
    return hash_key_exprs(plan_->partition_key(), EvalRow{in.values_span().data()});
  }

  std::string explain() const override;

 private:
  std::shared_ptr<const QueryPlan> plan_;
};

std::string PlannedQuery::explain() const {
  const QueryPlan& p = *plan_;
  ExprNames names;
  for (const Field& f : p.input.fields()) names.columns.push_back(f.name);
  names.keys = p.group_key_names;
  for (const AggregateSpec& a : p.aggregates) names.aggregates.push_back(a.text);
  if (p.shape == PlanShape::RowsWindow) {
    names.aggregates.assign(p.window_result_count, "");
    for (const RowsWindowSpec& w : p.windows) {
      for (size_t f = 0; f < w.functions.size(); ++f) {
        names.aggregates[w.result_slots[f]] = w.functions[f].text;
      }
    }
  }
  const auto list = [&](const std::vector<BoundExprPtr>& exprs) {
    std::vector<std::string> parts;
    for (const BoundExprPtr& e : exprs) parts.push_back(e->to_string(names));
    return join(parts);
  };

  std::vector<std::string> fields;
  for (const Field& f : p.input.fields()) fields.push_back(f.name + " " + type_name(f.type));
  std::string out = fmt::format("Source {} ({})\n", p.source, join(fields));
  if (p.where) {
    out += fmt::format("Filter {} [{}]\n", p.where->to_string(names),
                       PhysicalFilter(p.where.get()).shape_name());
  }
  const char* emit = p.emission == Emission::Final ? "final" : "changes";
  std::vector<std::string> aggregates;
  for (const AggregateSpec& a : p.aggregates) aggregates.push_back(a.text);
  switch (p.shape) {
    case PlanShape::Select:
      break;
    case PlanShape::HashAggregate:
      out += fmt::format("HashAggregate keys ({}) aggregates ({}) emit {}\n",
                         join(p.group_key_names), join(aggregates), emit);
      break;
    case PlanShape::TumblingWindow:
      out += fmt::format(
          "TumblingWindow size {} ms on {} lateness {} ms keys ({}) aggregates ({}) emit {}\n",
          p.window_ms, p.time_column ? p.input[*p.time_column].name : "event time",
          p.allowed_lateness_ms, join(p.group_key_names), join(aggregates), emit);
      break;
    case PlanShape::RowsWindow:
      for (const RowsWindowSpec& w : p.windows) {
        std::vector<std::string> fns;
        for (const AggregateSpec& f : w.functions) fns.push_back(f.text);
        out += fmt::format("RowsWindow {} rows partition by ({}) in arrival order: {}\n",
                           w.frame_rows, list(w.partition_by), join(fns));
      }
      break;
  }
  if (p.having) out += fmt::format("Having {}\n", p.having->to_string(names));
  std::vector<std::string> outputs;
  for (size_t i = 0; i < p.outputs.size(); ++i) {
    const std::string text = p.outputs[i]->to_string(names);
    outputs.push_back(text == p.output[i].name ? text : text + " AS " + p.output[i].name);
  }
  out += fmt::format("Project {}{}\n", join(outputs),
                     p.shares_input ? " [passes input records through]" : "");
  out += fmt::format("Partitioning {}", partitioning_name(p.partitioning));
  if (p.partitioning == Partitioning::ByKey) out += " (" + list(p.partition_key()) + ")";
  out += "\n";
  return out;
}

}  // namespace

std::shared_ptr<const CompiledQuery> CompiledQuery::compile(std::string_view sql,
                                                            const Schema& input) {
  const ast::SelectStatement stmt = parse_select(sql);
  return std::make_shared<PlannedQuery>(plan_select(stmt, input));
}

}  // namespace sg

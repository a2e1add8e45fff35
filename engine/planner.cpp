// The planner: from a parsed SELECT to a QueryPlan. It decides the query's shape (stateless
// select, hash aggregate, tumbling window, ROWS window), binds every clause through the Binder,
// and settles emission, partitioning and the output schema.
#include <fmt/format.h>

#include "engine/binder.h"
#include "engine/key_hash.h"
#include "engine/plan.h"

namespace sg {

uint64_t hash_key_exprs(const std::vector<BoundExprPtr>& key, const EvalRow& row) {
  uint64_t h = kKeyHashSeed;
  for (const BoundExprPtr& e : key) {
    Value scratch;
    h = key_hash_add(h, eval_ref(*e, row, scratch));
  }
  return h;
}

namespace {

// The first aggregate call in SELECT or HAVING (they make the query a grouping one).
const ast::Expr* first_aggregate(const ast::SelectStatement& stmt) {
  for (const ast::SelectItem& item : stmt.items) {
    if (item.expr) {
      if (const ast::Expr* found = Binder::find_aggregate(*item.expr)) return found;
    }
  }
  return stmt.having ? Binder::find_aggregate(*stmt.having) : nullptr;
}

const ast::Expr* first_window_function(const ast::SelectStatement& stmt) {
  for (const ast::SelectItem& item : stmt.items) {
    if (item.expr) {
      if (const ast::Expr* found = Binder::find_window_function(*item.expr)) return found;
    }
  }
  return nullptr;
}

void check_shape(const ast::SelectStatement& stmt, bool grouped) {
  const ast::Expr* window_fn = first_window_function(stmt);
  if (window_fn && grouped) {
    throw SqlError(window_fn->pos, fmt::format("window function {} cannot be combined with "
                                               "GROUP BY or aggregate functions",
                                               window_fn->name));
  }
  if (window_fn && stmt.window) {
    throw SqlError(window_fn->pos, fmt::format("window function {} cannot be combined with "
                                               "WINDOW TUMBLING",
                                               window_fn->name));
  }
  if (stmt.window && !grouped) {
    throw SqlError(stmt.window->pos,
                   "WINDOW TUMBLING needs GROUP BY or an aggregate function in the SELECT list");
  }
  if (stmt.having && !grouped) {
    throw SqlError(stmt.having->pos, "HAVING needs GROUP BY or an aggregate function");
  }
}

void plan_tumbling(const ast::TumblingWindow& w, QueryPlan& plan) {
  if (w.size_ms <= 0) {
    throw SqlError(w.pos, fmt::format("the window size must be positive, got {} ms", w.size_ms));
  }
  plan.window_ms = w.size_ms;
  if (!w.time_column) return;
  const std::optional<size_t> index = plan.input.index_of(*w.time_column);
  if (!index) {
    throw SqlError(w.time_column_pos, fmt::format("unknown column '{}'; columns are: {}",
                                                  *w.time_column, plan.input.names()));
  }
  const Type t = plan.input[*index].type;
  if (t != Type::Timestamp && t != Type::Integer) {
    throw SqlError(w.time_column_pos,
                   fmt::format("the window's time column '{}' must be TIMESTAMP or INTEGER "
                               "(milliseconds), got {}",
                               *w.time_column, type_name(t)));
  }
  plan.time_column = static_cast<uint32_t>(*index);
}

void plan_select_list(const ast::SelectStatement& stmt, bool grouped, Binder& binder,
                      QueryPlan& plan) {
  for (const ast::SelectItem& item : stmt.items) {
    if (item.star) {
      if (grouped) {
        throw SqlError(item.pos, "SELECT * cannot be used with GROUP BY or aggregate functions");
      }
      for (size_t i = 0; i < plan.input.size(); ++i) {
        plan.outputs.push_back(BoundExpr::column(static_cast<uint32_t>(i), plan.input[i].type));
        plan.output.add(plan.input[i].name, plan.input[i].type);
      }
      continue;
    }
    BoundExprPtr e = binder.bind(*item.expr, Binder::Clause::Select);
    std::string name = item.alias;
    if (name.empty()) {
      const std::optional<size_t> column = item.expr->kind == ast::ExprKind::Column
                                               ? plan.input.index_of(item.expr->name)
                                               : std::nullopt;
      name = column ? plan.input[*column].name : item.expr->to_sql();
    }
    plan.output.add(std::move(name), e->type);
    plan.outputs.push_back(std::move(e));
  }
}

bool outputs_are_the_input(const QueryPlan& plan) {
  if (plan.outputs.size() != plan.input.size()) return false;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    if (plan.outputs[i]->op != ExprOp::Column || plan.outputs[i]->index != i) return false;
  }
  return true;
}

Partitioning choose_partitioning(const QueryPlan& plan) {
  switch (plan.shape) {
    case PlanShape::Select:
      return Partitioning::Any;
    case PlanShape::HashAggregate:
    case PlanShape::TumblingWindow:
      // Without GROUP BY there is one group: it cannot be split.
      return plan.group_keys.empty() ? Partitioning::Single : Partitioning::ByKey;
    case PlanShape::RowsWindow: {
      const std::vector<BoundExprPtr>& first = plan.windows.at(0).partition_by;
      if (first.empty()) return Partitioning::Single;
      for (const RowsWindowSpec& w : plan.windows) {
        if (w.partition_by.size() != first.size()) return Partitioning::Single;
        for (size_t i = 0; i < first.size(); ++i) {
          if (!same_expr(*w.partition_by[i], *first[i])) return Partitioning::Single;
        }
      }
      return Partitioning::ByKey;
    }
  }
  return Partitioning::Single;
}

}  // namespace

std::shared_ptr<const QueryPlan> plan_select(const ast::SelectStatement& stmt,
                                             const Schema& input) {
  auto plan = std::make_shared<QueryPlan>();
  plan->input = input;
  plan->source = stmt.from;
  Binder binder(plan->input, *plan);

  const bool grouped = !stmt.group_by.empty() || first_aggregate(stmt) != nullptr;
  check_shape(stmt, grouped);

  if (stmt.where) plan->where = binder.bind_condition(*stmt.where, Binder::Clause::Where, "WHERE");
  for (const ast::ExprPtr& key : stmt.group_by) {
    plan->group_keys.push_back(binder.bind(*key, Binder::Clause::GroupBy));
    plan->group_key_names.push_back(key->to_sql());
  }
  if (grouped) binder.enter_grouping(stmt.group_by);
  plan_select_list(stmt, grouped, binder, *plan);
  if (stmt.having) {
    plan->having = binder.bind_condition(*stmt.having, Binder::Clause::Having, "HAVING");
  }

  if (stmt.window) {
    plan->shape = PlanShape::TumblingWindow;
    plan_tumbling(*stmt.window, *plan);
  } else if (grouped) {
    plan->shape = PlanShape::HashAggregate;
  } else if (!plan->windows.empty()) {
    plan->shape = PlanShape::RowsWindow;
  }
  if (stmt.allowed_lateness_ms < 0) {
    throw SqlError(stmt.window ? stmt.window->pos : stmt.from_pos,
                   "the allowed lateness cannot be negative");
  }
  plan->allowed_lateness_ms = stmt.allowed_lateness_ms;
  // A continuous GROUP BY emits changes unless told otherwise; windows emit final rows. EMIT
  // means nothing to a stateless select or a ROWS window (one row per input either way).
  if (stmt.emit == ast::EmitMode::Default) {
    plan->emission = stmt.window ? Emission::Final : Emission::Changes;
  } else {
    plan->emission = stmt.emit == ast::EmitMode::Final ? Emission::Final : Emission::Changes;
  }
  plan->shares_input = plan->shape == PlanShape::Select && outputs_are_the_input(*plan);
  plan->partitioning = choose_partitioning(*plan);
  return plan;
}

}  // namespace sg

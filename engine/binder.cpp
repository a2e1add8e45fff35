#include "engine/binder.h"

#include <fmt/format.h>

namespace sg {

static const char* clause_text(Binder::Clause c) {
  switch (c) {
    case Binder::Clause::Where:
      return "WHERE";
    case Binder::Clause::GroupBy:
      return "GROUP BY";
    case Binder::Clause::Select:
      return "the SELECT list";
    case Binder::Clause::Having:
      return "HAVING";
    case Binder::Clause::AggregateArgument:
      return "an aggregate function's argument";
    case Binder::Clause::WindowArgument:
      return "a window function's argument";
    case Binder::Clause::PartitionBy:
      return "PARTITION BY";
    case Binder::Clause::OrderBy:
      return "ORDER BY";
  }
  return "?";
}

static bool is_number_type(Type t) {
  return t == Type::Integer || t == Type::Float || t == Type::Timestamp;
}

static bool is_condition_type(Type t) {
  return t == Type::Boolean || t == Type::Null;
}

static ExprOp to_expr_op(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add:
      return ExprOp::Add;
    case ast::BinaryOp::Sub:
      return ExprOp::Sub;
    case ast::BinaryOp::Mul:
      return ExprOp::Mul;
    case ast::BinaryOp::Div:
      return ExprOp::Div;
    case ast::BinaryOp::Mod:
      return ExprOp::Mod;
    case ast::BinaryOp::Eq:
      return ExprOp::Eq;
    case ast::BinaryOp::Ne:
      return ExprOp::Ne;
    case ast::BinaryOp::Lt:
      return ExprOp::Lt;
    case ast::BinaryOp::Le:
      return ExprOp::Le;
    case ast::BinaryOp::Gt:
      return ExprOp::Gt;
    case ast::BinaryOp::Ge:
      return ExprOp::Ge;
    case ast::BinaryOp::And:
      return ExprOp::And;
    case ast::BinaryOp::Or:
      return ExprOp::Or;
  }
  return ExprOp::Add;
}

// Recursion over parsed trees is bounded by the parser's nesting limit.
static const ast::Expr* find_call(const ast::Expr& e, bool with_over) {
  if (e.kind == ast::ExprKind::Call) {
    AggFunc f;
    if (parse_agg_func(e.name, f) && (e.over != nullptr) == with_over) return &e;
  }
  for (const ast::ExprPtr& arg : e.args) {
    if (const ast::Expr* found = find_call(*arg, with_over)) return found;
  }
  return nullptr;
}

const ast::Expr* Binder::find_aggregate(const ast::Expr& e) {
  return find_call(e, false);
}
const ast::Expr* Binder::find_window_function(const ast::Expr& e) {
  return find_call(e, true);
}

void Binder::enter_grouping(const std::vector<ast::ExprPtr>& group_by) {
  grouped_ = true;
  group_by_.clear();
  for (const ast::ExprPtr& e : group_by) group_by_.push_back(e.get());
}

BoundExprPtr Binder::bind_condition(const ast::Expr& e, Clause clause, const char* what) {
  BoundExprPtr b = bind(e, clause);
  if (!is_condition_type(b->type)) {
    throw SqlError(e.pos, fmt::format("{} needs a BOOLEAN condition, got {} ({})", what,
                                      type_name(b->type), e.to_sql()));
  }
  return b;
}

BoundExprPtr Binder::bind(const ast::Expr& e, Clause clause) {
  if (grouped_ && (clause == Clause::Select || clause == Clause::Having)) {
    for (size_t i = 0; i < group_by_.size(); ++i) {
      if (same_ast(e, *group_by_[i])) {
        return BoundExpr::key(static_cast<uint32_t>(i), plan_.group_keys[i]->type);
      }
    }
  }
  switch (e.kind) {
    case ast::ExprKind::Column:
      return bind_column(e, clause);
    case ast::ExprKind::Literal:
      return BoundExpr::constant(e.literal);
    case ast::ExprKind::Unary:
      return bind_unary(e, clause);
    case ast::ExprKind::Binary:
      return bind_binary(e, clause);
    case ast::ExprKind::IsNull:
      return BoundExpr::unary(e.negated ? ExprOp::IsNotNull : ExprOp::IsNull, Type::Boolean,
                              bind(*e.args.at(0), clause));
    case ast::ExprKind::Call:
      return bind_call(e, clause);
  }
  throw SqlError(e.pos, "unsupported expression");
}

BoundExprPtr Binder::bind_column(const ast::Expr& e, Clause clause) {
  const std::optional<size_t> index = input_.index_of(e.name);
  if (!index) {
    throw SqlError(e.pos,
                   fmt::format("unknown column '{}'; columns are: {}", e.name, input_.names()));
  }
  if (grouped_ && (clause == Clause::Select || clause == Clause::Having)) {
    throw SqlError(e.pos, fmt::format("column '{}' must appear in GROUP BY or be used in an "
                                      "aggregate function",
                                      e.name));
  }
  return BoundExpr::column(static_cast<uint32_t>(*index), input_[*index].type);
}

BoundExprPtr Binder::bind_unary(const ast::Expr& e, Clause clause) {
  BoundExprPtr operand = bind(*e.args.at(0), clause);
  const Type t = operand->type;
  if (e.unary_op == ast::UnaryOp::Not) {
    if (!is_condition_type(t)) {
      throw SqlError(e.pos, fmt::format("NOT needs a BOOLEAN operand, got {}", type_name(t)));
    }
    return BoundExpr::unary(ExprOp::Not, Type::Boolean, std::move(operand));
  }
  if (t != Type::Null && !is_number_type(t)) {
    throw SqlError(e.pos, fmt::format("unary '-' needs a number, got {}", type_name(t)));
  }
  const Type result = t == Type::Timestamp ? Type::Integer : t;
  BoundExprPtr b = BoundExpr::unary(ExprOp::Neg, result, std::move(operand));
  b->site = ExprSite{e.pos, e.to_sql()};
  return b;
}

BoundExprPtr Binder::bind_binary(const ast::Expr& e, Clause clause) {
  BoundExprPtr l = bind(*e.args.at(0), clause);
  BoundExprPtr r = bind(*e.args.at(1), clause);
  const ExprOp op = to_expr_op(e.binary_op);
  const Type lt = l->type, rt = r->type;
  Type result = Type::Boolean;
  if (is_arithmetic(op)) {
    std::string why;
    result = arithmetic_result_type(op, lt, rt, &why);
    if (!why.empty()) throw SqlError(e.pos, why + " (" + e.to_sql() + ")");
  } else if (is_comparison(op)) {
    if (!comparable(lt, rt)) {
      throw SqlError(e.pos, fmt::format("cannot compare {} with {} ({})", type_name(lt),
                                        type_name(rt), e.to_sql()));
    }
  } else if (!is_condition_type(lt) || !is_condition_type(rt)) {
    throw SqlError(e.pos, fmt::format("{} needs BOOLEAN operands, got {} and {}", expr_op_text(op),
                                      type_name(lt), type_name(rt)));
  }
  BoundExprPtr b = BoundExpr::binary(op, result, std::move(l), std::move(r));
  if (is_arithmetic(op)) b->site = ExprSite{e.pos, e.to_sql()};
  return b;
}

BoundExprPtr Binder::bind_call(const ast::Expr& e, Clause clause) {
  AggFunc f;
  if (!parse_agg_func(e.name, f)) {
    throw SqlError(e.pos, fmt::format("unknown function '{}'; functions are COUNT, SUM, AVG, "
                                      "MIN and MAX",
                                      e.name));
  }
  if (e.star && f != AggFunc::Count) {
    throw SqlError(e.pos, fmt::format("{}(*) is not allowed: only COUNT takes *", e.name));
  }
  if (!e.star && e.args.size() != 1) {
    throw SqlError(e.pos, fmt::format("{} takes exactly 1 argument{}, got {}", e.name,
                                      f == AggFunc::Count ? " (or *)" : "", e.args.size()));
  }
  return e.over ? bind_window_function(e, f, clause) : bind_aggregate(e, f, clause);
}

AggregateSpec Binder::make_spec(const ast::Expr& e, AggFunc f, Clause argument_clause) {
  AggregateSpec spec;
  spec.func = f;
  spec.text = e.to_sql();
  spec.site = ExprSite{e.pos, spec.text};
  Type arg_type = Type::Integer;
  if (!e.star) {
    spec.arg = bind(*e.args[0], argument_clause);
    arg_type = spec.arg->type;
  }
  std::string why;
  if (!aggregate_result_type(f, arg_type, spec.result_type, why)) {
    throw SqlError(e.args[0]->pos, why + " (" + e.to_sql() + ")");
  }
  spec.kind = aggregate_kind(f, e.star, arg_type);
  return spec;
}

BoundExprPtr Binder::bind_aggregate(const ast::Expr& e, AggFunc f, Clause clause) {
  switch (clause) {
    case Clause::Where:
      throw SqlError(e.pos, fmt::format("aggregate function {} is not allowed in WHERE (filter "
                                        "groups with HAVING)",
                                        e.name));
    case Clause::AggregateArgument:
      throw SqlError(e.pos, fmt::format("aggregate function {} cannot be nested inside another "
                                        "aggregate",
                                        e.name));
    case Clause::Select:
    case Clause::Having:
      if (grouped_) break;
      [[fallthrough]];
    default:
      throw SqlError(e.pos, fmt::format("aggregate function {} is not allowed in {}", e.name,
                                        clause_text(clause)));
  }
  AggregateSpec spec = make_spec(e, f, Clause::AggregateArgument);
  // The same call twice (in SELECT and HAVING, say) is computed once.
  for (size_t i = 0; i < plan_.aggregates.size(); ++i) {
    const AggregateSpec& other = plan_.aggregates[i];
    if (other.kind != spec.kind || (other.arg == nullptr) != (spec.arg == nullptr)) continue;
    if (!spec.arg || same_expr(*other.arg, *spec.arg)) {
      return BoundExpr::aggregate(static_cast<uint32_t>(i), other.result_type);
    }
  }
  const Type type = spec.result_type;
  plan_.aggregates.push_back(std::move(spec));
  return BoundExpr::aggregate(static_cast<uint32_t>(plan_.aggregates.size() - 1), type);
}

BoundExprPtr Binder::bind_window_function(const ast::Expr& e, AggFunc f, Clause clause) {
  if (clause != Clause::Select) {
    throw SqlError(
        e.pos, fmt::format("window function {} is not allowed in {}", e.name, clause_text(clause)));
  }
  if (grouped_) {
    throw SqlError(e.pos, fmt::format("window function {} cannot be combined with GROUP BY or "
                                      "aggregate functions",
                                      e.name));
  }
  const ast::OverClause& over = *e.over;
  if (over.frame_rows < 1) {
    throw SqlError(over.pos,
                   fmt::format("a ROWS frame needs at least 1 row, got {}", over.frame_rows));
  }
  AggregateSpec spec = make_spec(e, f, Clause::WindowArgument);
  std::vector<BoundExprPtr> partition_by;
  for (const ast::ExprPtr& p : over.partition_by) {
    partition_by.push_back(bind(*p, Clause::PartitionBy));
  }
  // ORDER BY is checked (its columns must exist) but the stream is processed in arrival order.
  for (const ast::OrderItem& o : over.order_by) bind(*o.expr, Clause::OrderBy);

  RowsWindowSpec* window = nullptr;
  for (RowsWindowSpec& w : plan_.windows) {
    if (w.frame_rows != over.frame_rows || w.partition_by.size() != partition_by.size()) continue;
    bool same = true;
    for (size_t i = 0; i < partition_by.size() && same; ++i) {
      same = same_expr(*w.partition_by[i], *partition_by[i]);
    }
    if (same) {
      window = &w;
      break;
    }
  }
  if (!window) {
    plan_.windows.emplace_back();
    window = &plan_.windows.back();
    window->partition_by = std::move(partition_by);
    window->frame_rows = over.frame_rows;
  }
  const uint32_t slot = static_cast<uint32_t>(plan_.window_result_count++);
  const Type type = spec.result_type;
  window->functions.push_back(std::move(spec));
  window->result_slots.push_back(slot);
  return BoundExpr::aggregate(slot, type);
}

bool Binder::same_ast(const ast::Expr& a, const ast::Expr& b) const {
  if (a.kind != b.kind || a.args.size() != b.args.size()) return false;
  switch (a.kind) {
    case ast::ExprKind::Column: {
      const std::optional<size_t> ia = input_.index_of(a.name), ib = input_.index_of(b.name);
      return ia && ib && *ia == *ib;
    }
    case ast::ExprKind::Literal:
      return a.literal.type() == b.literal.type() && compare(a.literal, b.literal) == 0;
    case ast::ExprKind::Unary:
      if (a.unary_op != b.unary_op) return false;
      break;
    case ast::ExprKind::Binary:
      if (a.binary_op != b.binary_op) return false;
      break;
    case ast::ExprKind::IsNull:
      if (a.negated != b.negated) return false;
      break;
    case ast::ExprKind::Call:
      if (a.name != b.name || a.star != b.star || a.over || b.over) return false;
      break;
  }
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!same_ast(*a.args[i], *b.args[i])) return false;
  }
  return true;
}

}  // namespace sg

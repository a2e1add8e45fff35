// Binds parsed expressions to the input schema: resolves column names to positions, checks
// types, and registers aggregate and window-function calls with the plan. Every problem is a
// SqlError at the offending expression's position.
#pragma once

#include <string>
#include <vector>

#include "engine/expression.h"
#include "engine/plan.h"
#include "engine/sql/ast.h"

namespace sg {

class Binder {
 public:
  // Where an expression appears decides what it may contain.
  enum class Clause {
    Where,
    GroupBy,
    Select,
    Having,
    AggregateArgument,
    WindowArgument,
    PartitionBy,
    OrderBy,
  };

  // `plan` receives the aggregates and window specs; it must outlive the binder.
  Binder(const Schema& input, QueryPlan& plan) : input_(input), plan_(plan) {}

  // From now on SELECT and HAVING are bound against these GROUP BY expressions (already bound
  // into plan.group_keys): a subexpression equal to key i reads key i, and any other column
  // outside an aggregate is an error.
  void enter_grouping(const std::vector<ast::ExprPtr>& group_by);

  BoundExprPtr bind(const ast::Expr& e, Clause clause);
  // bind() plus: the result must be BOOLEAN (or NULL), as WHERE and HAVING need.
  BoundExprPtr bind_condition(const ast::Expr& e, Clause clause, const char* what);

  // The first aggregate call (COUNT/SUM/... without OVER), or window-function call (with OVER),
  // in `e`; null when there is none.
  static const ast::Expr* find_aggregate(const ast::Expr& e);
  static const ast::Expr* find_window_function(const ast::Expr& e);

 private:
  BoundExprPtr bind_column(const ast::Expr& e, Clause clause);
  BoundExprPtr bind_unary(const ast::Expr& e, Clause clause);
  BoundExprPtr bind_binary(const ast::Expr& e, Clause clause);
  BoundExprPtr bind_call(const ast::Expr& e, Clause clause);
  BoundExprPtr bind_aggregate(const ast::Expr& e, AggFunc f, Clause clause);
  BoundExprPtr bind_window_function(const ast::Expr& e, AggFunc f, Clause clause);
  AggregateSpec make_spec(const ast::Expr& e, AggFunc f, Clause argument_clause);
  // Structural equality of two parsed expressions, columns compared by resolved position.
  bool same_ast(const ast::Expr& a, const ast::Expr& b) const;

  const Schema& input_;
  QueryPlan& plan_;
  bool grouped_ = false;
  std::vector<const ast::Expr*> group_by_;
};

}  // namespace sg

#include "harness/peers/sql_translation.h"

#include <sqlite3.h>

#include "engine/sql/ast.h"
#include "engine/sql/parser.h"
#include "harness/peers/continuous_translation.h"

namespace sg {
namespace {

using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using ast::UnaryOp;

// The static type of an expression where it is obvious, Null when unknown. Only used to tell
// integer division from float division: SQLite's `/` on two integers truncates like ours, and
// DuckDB's `/` always divides as floats (its integer division is `//`).
Type static_type(const Expr& e, const Schema& input) {
  switch (e.kind) {
    case ExprKind::Column: {
      auto i = input.index_of(e.name);
      return i ? input[*i].type : Type::Null;
    }
    case ExprKind::Literal:
      return e.literal.type();
    case ExprKind::Unary:
      return e.unary_op == UnaryOp::Neg ? static_type(*e.args[0], input) : Type::Boolean;
    case ExprKind::IsNull:
      return Type::Boolean;
    case ExprKind::Binary: {
      if (e.binary_op > BinaryOp::Mod) return Type::Boolean;  // comparisons, AND, OR
      const Type l = static_type(*e.args[0], input), r = static_type(*e.args[1], input);
      if (l == Type::Null || r == Type::Null) return Type::Null;
      return l == Type::Float || r == Type::Float ? Type::Float : Type::Integer;
    }
    case ExprKind::Call:
      if (e.name == "COUNT") return Type::Integer;
      if (e.name == "AVG") return Type::Float;
      return e.args.empty() ? Type::Null : static_type(*e.args[0], input);
  }
  return Type::Null;
}

bool is_integral(Type t) {
  return t == Type::Integer || t == Type::Timestamp;
}

// The peers' dialect: their keyword quoting, the frame ordered by the loaded arrival sequence
// (our ROWS window frames rows in arrival order whatever ORDER BY says), `*` as the input's own
// columns, the batch form of windows, and DuckDB's `//` for integer division.
ast::SqlDialect peer_sql_dialect(const Schema& input, PeerDialect dialect,
                                 const PeerExtraColumns& extra) {
  ast::SqlDialect d;
  d.identifier = [](std::string_view name) { return peer_identifier(name); };
  if (dialect == PeerDialect::DuckDb) {
    d.binary_operator = [&input](const Expr& e) -> std::string {
      const bool integral = is_integral(static_type(*e.args[0], input)) &&
                            is_integral(static_type(*e.args[1], input));
      return e.binary_op == BinaryOp::Div && integral ? "//" : ast::op_text(e.binary_op);
    };
  }
  d.spaced_minus = true;  // "- x" never reads as a "--" comment
  d.frame_order_column = extra.seq;
  for (size_t c = 0; c < input.size(); ++c) d.star_columns.push_back(input[c].name);
  d.batch = true;
  d.event_time_column = extra.event_time;
  return d;
}

// Walks every expression of the statement (select items and HAVING), calling `f` on each node.
template <typename F>
void for_each_node(const Expr& e, F& f) {
  f(e);
  for (const auto& a : e.args) for_each_node(*a, f);
}

}  // namespace

const char* peer_mode_name(PeerMode mode) {
  return mode == PeerMode::SameWork ? "same-work" : "final-rows";
}

std::string peer_identifier(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_');
  }
  // SQLite's keyword list stands for both peers: DuckDB reserves a subset of the same words.
  if (plain && sqlite3_keyword_check(name.data(), static_cast<int>(name.size())) == 0) {
    return std::string(name);
  }
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  return out + "\"";
}

PeerExtraColumns peer_extra_columns(const Schema& input) {
  PeerExtraColumns extra;
  // A schema that already uses the names gets underscores appended until they are free.
  while (input.index_of(extra.seq)) extra.seq += "_";
  while (input.index_of(extra.event_time)) extra.event_time += "_";
  return extra;
}

PeerTranslation translate_for_peer(std::string_view scenario_sql, const Schema& input,
                                   PeerDialect dialect, PeerMode mode) {
  const ast::SelectStatement stmt = parse_select(scenario_sql);
  const PeerExtraColumns extra = peer_extra_columns(input);
  PeerTranslation t;
  t.mode = mode;

  auto inspect = [&t](const Expr& e) {
    if (e.kind != ExprKind::Call) return;
    if (e.over)
      t.rows_window = true;
    else if (is_aggregate_call(e))
      t.aggregates = true;
  };
  bool star = false;
  for (const ast::SelectItem& item : stmt.items) {
    star = star || item.star;
    if (item.expr) for_each_node(*item.expr, inspect);
  }
  if (stmt.having) for_each_node(*stmt.having, inspect);
  t.has_group_by = !stmt.group_by.empty();
  t.aggregates = t.aggregates || t.has_group_by;
  t.tumbling = stmt.window.has_value();
  t.having = stmt.having != nullptr;
  // Without a window, a GROUP BY is continuous unless EMIT FINAL; with one, it is final unless
  // EMIT CHANGES.
  t.continuous = t.aggregates && (t.tumbling ? stmt.emit == ast::EmitMode::Changes
                                             : stmt.emit != ast::EmitMode::Final);
  const ast::SqlDialect d = peer_sql_dialect(input, dialect, extra);

  if (!t.continuous) {
    t.sql = stmt.to_sql(d);
    if (mode == PeerMode::FinalRows) {
      t.unavailable =
          "final-rows mode is for continuous outputs (continuous GROUP BY, EMIT CHANGES); this "
          "query's output is the same in either mode";
    }
    return t;
  }
  if (mode == PeerMode::FinalRows) {
    t.sql = stmt.to_sql(d);
    t.comparison = PeerComparison::FinalRowPerGroup;
    t.note = t.tumbling
                 ? "EMIT CHANGES on a window: the batch peer computes each window's final rows"
                 : "continuous GROUP BY: the batch peer computes each group's final row";
    return t;
  }
  t.comparison = PeerComparison::EveryRowInOrder;
  // Cases our planner rejects; a peer must not run them as something else either.
  if (star || t.rows_window) {
    t.unavailable = "a grouping query with SELECT * or an OVER clause has no same-work form";
    return t;
  }
  t.sql = continuous_query_sql(stmt, d, extra.seq, extra.event_time);
  t.note = t.tumbling ? "EMIT CHANGES as window functions over the arrival order, per window"
                      : "continuous GROUP BY as window functions over the arrival order";
  return t;
}

}  // namespace sg

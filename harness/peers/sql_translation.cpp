#include "harness/peers/sql_translation.h"

#include <sqlite3.h>

#include "engine/sql/ast.h"
#include "engine/sql/parser.h"

namespace sg {
namespace {

using ast::BinaryOp;
using ast::Expr;
using ast::ExprKind;
using ast::UnaryOp;

bool is_aggregate_name(const std::string& name) {
  return name == "COUNT" || name == "SUM" || name == "AVG" || name == "MIN" || name == "MAX";
}

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
                                   PeerDialect dialect) {
  const ast::SelectStatement stmt = parse_select(scenario_sql);
  const PeerExtraColumns extra = peer_extra_columns(input);
  PeerTranslation t;

  auto inspect = [&t](const Expr& e) {
    if (e.kind != ExprKind::Call) return;
    if (e.over)
      t.rows_window = true;
    else if (is_aggregate_name(e.name))
      t.aggregates = true;
  };
  for (const ast::SelectItem& item : stmt.items)
    if (item.expr) for_each_node(*item.expr, inspect);
  if (stmt.having) for_each_node(*stmt.having, inspect);
  t.has_group_by = !stmt.group_by.empty();
  t.aggregates = t.aggregates || t.has_group_by;
  t.tumbling = stmt.window.has_value();
  t.having = stmt.having != nullptr;

  t.sql = stmt.to_sql(peer_sql_dialect(input, dialect, extra));

  // Without a window, a GROUP BY is continuous unless EMIT FINAL; with one, it is final unless
  // EMIT CHANGES. A batch peer computes final rows either way.
  const bool continuous = t.aggregates && (t.tumbling ? stmt.emit == ast::EmitMode::Changes
                                                      : stmt.emit != ast::EmitMode::Final);
  if (continuous) {
    t.comparison = PeerComparison::FinalRowPerGroup;
    t.note = t.tumbling
                 ? "EMIT CHANGES on a window: the batch peer computes each window's final rows"
                 : "continuous GROUP BY: the batch peer computes each group's final row";
  }
  return t;
}

}  // namespace sg

#include "harness/peers/sql_translation.h"

#include <sqlite3.h>

#include <cassert>

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

// Binding strength, loosest first, as in SQL (and in engine/sql/ast.cpp's printer).
enum Precedence : int {
  kOr = 1,
  kAnd,
  kNot,
  kComparison,
  kAdditive,
  kMultiplicative,
  kUnary,
  kPrimary
};

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Column:
    case ExprKind::Call:
      return kPrimary;
    case ExprKind::Literal:
      return e.literal.is_numeric() && e.literal.to_double() < 0 ? kUnary : kPrimary;
    case ExprKind::Unary:
      return e.unary_op == UnaryOp::Neg ? kUnary : kNot;
    case ExprKind::IsNull:
      return kComparison;
    case ExprKind::Binary:
      switch (e.binary_op) {
        case BinaryOp::Or:
          return kOr;
        case BinaryOp::And:
          return kAnd;
        case BinaryOp::Add:
        case BinaryOp::Sub:
          return kAdditive;
        case BinaryOp::Mul:
        case BinaryOp::Div:
        case BinaryOp::Mod:
          return kMultiplicative;
        default:
          return kComparison;
      }
  }
  return kPrimary;
}

class Printer {
 public:
  Printer(const Schema& input, PeerDialect dialect, const PeerExtraColumns& extra)
      : input_(input), dialect_(dialect), extra_(extra) {}

  std::string expr(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::Column:
        return peer_identifier(e.name);
      case ExprKind::Literal:
        return e.to_sql();  // literals print the same in every dialect
      case ExprKind::Unary:
        if (e.unary_op == UnaryOp::Not) return "NOT " + operand(*e.args[0], kNot);
        // "- x" never reads as a "--" comment, whatever the operand prints as.
        return "- " + operand(*e.args[0], kUnary);
      case ExprKind::IsNull:
        return operand(*e.args[0], kComparison) + (e.negated ? " IS NOT NULL" : " IS NULL");
      case ExprKind::Binary: {
        const int p = precedence(e);
        // Left-associative: only an equal-precedence right operand needs parentheses.
        return operand(*e.args[0], p) + " " + binary_op_text(e) + " " + operand(*e.args[1], p + 1);
      }
      case ExprKind::Call: {
        std::string out = e.name + "(";
        if (e.star) out += "*";
        for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + expr(*e.args[i]);
        out += ")";
        if (e.over) out += " " + over(*e.over);
        return out;
      }
    }
    return "?";
  }

 private:
  std::string operand(const Expr& child, int min_precedence) const {
    std::string text = expr(child);
    return precedence(child) < min_precedence ? "(" + text + ")" : text;
  }

  std::string binary_op_text(const Expr& e) const {
    if (e.binary_op == BinaryOp::Div && dialect_ == PeerDialect::DuckDb &&
        is_integral(static_type(*e.args[0], input_)) &&
        is_integral(static_type(*e.args[1], input_))) {
      return "//";
    }
    return ast::op_text(e.binary_op);
  }

  // Our ROWS window frames rows in arrival order, so the peer orders the frame by the loaded
  // arrival sequence, whatever ORDER BY the scenario wrote.
  std::string over(const ast::OverClause& o) const {
    std::string out = "OVER (";
    if (!o.partition_by.empty()) {
      out += "PARTITION BY ";
      for (size_t i = 0; i < o.partition_by.size(); ++i)
        out += (i ? ", " : "") + expr(*o.partition_by[i]);
      out += " ";
    }
    out += "ORDER BY " + peer_identifier(extra_.seq) + " ROWS BETWEEN " +
           std::to_string(o.frame_rows - 1) + " PRECEDING AND CURRENT ROW)";
    return out;
  }

  const Schema& input_;
  PeerDialect dialect_;
  const PeerExtraColumns& extra_;
};

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
  const Printer print(input, dialect, extra);
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

  std::string sql = "SELECT ";
  for (size_t i = 0; i < stmt.items.size(); ++i) {
    const ast::SelectItem& item = stmt.items[i];
    if (i) sql += ", ";
    if (item.star) {
      // The input's own columns: `*` would also select the extra columns the peer loads.
      for (size_t c = 0; c < input.size(); ++c)
        sql += (c ? ", " : "") + peer_identifier(input[c].name);
      continue;
    }
    sql += print.expr(*item.expr);
    if (!item.alias.empty()) sql += " AS " + peer_identifier(item.alias);
  }
  sql += " FROM " + peer_identifier(stmt.from);
  if (stmt.where) sql += " WHERE " + print.expr(*stmt.where);

  std::vector<std::string> group_by;
  for (const auto& g : stmt.group_by) group_by.push_back(print.expr(*g));
  if (stmt.window) {
    const std::string time = peer_identifier(stmt.window->time_column.value_or(extra.event_time));
    const std::string size = std::to_string(stmt.window->size_ms);
    group_by.push_back(time + " - (" + time + " % " + size + ")");
  }
  if (!group_by.empty()) {
    sql += " GROUP BY ";
    for (size_t i = 0; i < group_by.size(); ++i) sql += (i ? ", " : "") + group_by[i];
  }
  if (stmt.having) sql += " HAVING " + print.expr(*stmt.having);
  t.sql = std::move(sql);

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

// SQL text of an expression or a statement, in a dialect (ast.h's SqlDialect). Ours is canonical
// and parses back to the same tree: parentheses are written exactly where precedence needs them,
// names that are not plain words are quoted, OVER clauses are in the standard ROWS BETWEEN form.
#include <cassert>
#include <charconv>
#include <cmath>
#include <utility>

#include "engine/sql/ast.h"
#include "engine/sql/lexer.h"

namespace sg::ast {

const char* op_text(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg:
      return "-";
    case UnaryOp::Not:
      return "NOT";
  }
  return "?";
}

const char* op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
    case BinaryOp::Eq:
      return "=";
    case BinaryOp::Ne:
      return "<>";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::And:
      return "AND";
    case BinaryOp::Or:
      return "OR";
  }
  return "?";
}

namespace {

// Binding strength, loosest first; the parser's levels in the same order.
enum Precedence : int {
  kOr = 1,
  kAnd,
  kNot,
  kComparison,  // = <> < <= > >= and IS [NOT] NULL
  kAdditive,
  kMultiplicative,
  kUnaryMinus,
  kPrimary,
};

int precedence(BinaryOp op) {
  switch (op) {
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

bool is_negative_number(const Value& v) {
  return (v.type() == Type::Integer && v.as_int() < 0) ||
         (v.type() == Type::Float && std::signbit(v.as_float()));
}

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Column:
    case ExprKind::Call:
      return kPrimary;
    // A negative number reads as unary minus applied to a number.
    case ExprKind::Literal:
      return is_negative_number(e.literal) ? kUnaryMinus : kPrimary;
    case ExprKind::Unary:
      return e.unary_op == UnaryOp::Neg ? kUnaryMinus : kNot;
    case ExprKind::IsNull:
      return kComparison;
    case ExprKind::Binary:
      return precedence(e.binary_op);
  }
  return kPrimary;
}

bool is_plain_name(std::string_view name) {
  if (name.empty() || sql::is_reserved_word(name)) return false;
  if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
        name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    bool word_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word_char) return false;
  }
  return true;
}

std::string quote_doubling(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out.push_back(c);
    if (c == quote) out.push_back(quote);
  }
  out.push_back(quote);
  return out;
}

std::string name_sql(std::string_view name) {
  return is_plain_name(name) ? std::string(name) : quote_doubling(name, '"');
}

std::string float_sql(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  assert(ec == std::errc() && "64 bytes hold any shortest double");
  std::string text(buf, end);
  // Keep it a float when read back: "3" would come back as an integer.
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string literal_sql(const Value& v) {
  switch (v.type()) {
    case Type::Null:
      return "NULL";
    case Type::Boolean:
      return v.as_bool() ? "TRUE" : "FALSE";
    case Type::Integer:
    case Type::Timestamp:
      return std::to_string(v.as_int());
    case Type::Float:
      return float_sql(v.as_float());
    case Type::String:
      return quote_doubling(v.as_string(), '\'');
  }
  return "NULL";
}

// An interval in the largest unit that divides it exactly.
std::string interval_sql(int64_t ms) {
  static const std::pair<int64_t, const char*> units[] = {
      {3'600'000, "HOUR"}, {60'000, "MINUTE"}, {1000, "SECOND"}};
  for (const auto& [unit_ms, name] : units) {
    if (ms % unit_ms == 0) return "INTERVAL '" + std::to_string(ms / unit_ms) + "' " + name;
  }
  return "INTERVAL '" + std::to_string(ms) + "' MILLISECOND";
}

class Printer {
 public:
  explicit Printer(const SqlDialect& dialect) : d_(dialect) {}

  std::string expr(const Expr& e) const {
    switch (e.kind) {
      case ExprKind::Column:
        return name(e.name);
      case ExprKind::Literal:
        return literal_sql(e.literal);
      case ExprKind::Unary:
        assert(e.args.size() == 1 && "a unary expression has one operand");
        if (e.unary_op == UnaryOp::Not) return "NOT " + operand(*e.args[0], kNot);
        return minus(*e.args[0]);
      case ExprKind::IsNull:
        assert(e.args.size() == 1 && "IS NULL has one operand");
        return operand(*e.args[0], kComparison) + (e.negated ? " IS NOT NULL" : " IS NULL");
      case ExprKind::Binary: {
        assert(e.args.size() == 2 && "a binary expression has two operands");
        // Left-associative: an equal-precedence left child needs no parentheses, a right one
        // does (a - (b - c)).
        const int p = precedence(e.binary_op);
        const std::string op = d_.binary_operator ? d_.binary_operator(e) : op_text(e.binary_op);
        return operand(*e.args[0], p) + " " + op + " " + operand(*e.args[1], p + 1);
      }
      case ExprKind::Call: {
        std::string out = e.name + "(" + (e.star ? std::string("*") : list(e.args)) + ")";
        if (e.over) {
          out += " " + over(*e.over);
        } else if (d_.call_window) {
          if (std::string w = d_.call_window(e); !w.empty()) out += " OVER " + w;
        }
        return out;
      }
    }
    return "?";
  }

  std::string statement(const SelectStatement& s) const {
    std::string out = "SELECT ";
    for (size_t i = 0; i < s.items.size(); ++i) {
      if (i > 0) out += ", ";
      out += item(s.items[i]);
    }
    out += " FROM " + name(s.from);
    if (s.where) out += " WHERE " + expr(*s.where);
    std::string group_by = list(s.group_by);
    if (d_.batch && s.window) {
      const std::string t = name(s.window->time_column.value_or(d_.event_time_column));
      const std::string bucket = t + " - (" + t + " % " + std::to_string(s.window->size_ms) + ")";
      group_by += (group_by.empty() ? "" : ", ") + bucket;
    }
    if (!group_by.empty()) out += " GROUP BY " + group_by;
    if (s.having) out += " HAVING " + expr(*s.having);
    if (d_.batch) return out;
    if (s.window) {
      out += " WINDOW TUMBLING (";
      if (s.window->time_column) out += name(*s.window->time_column) + ", ";
      out += interval_sql(s.window->size_ms) + ")";
    }
    if (s.allowed_lateness_ms > 0) {
      out += " ALLOWED LATENESS " + interval_sql(s.allowed_lateness_ms);
    }
    if (s.emit == EmitMode::Changes) out += " EMIT CHANGES";
    if (s.emit == EmitMode::Final) out += " EMIT FINAL";
    return out;
  }

 private:
  std::string name(std::string_view n) const {
    return d_.identifier ? d_.identifier(n) : name_sql(n);
  }

  // The child's text, in parentheses when it binds looser than `min_precedence`.
  std::string operand(const Expr& child, int min_precedence) const {
    std::string text = expr(child);
    return precedence(child) < min_precedence ? "(" + text + ")" : text;
  }

  std::string minus(const Expr& operand_expr) const {
    if (d_.spaced_minus) return "- " + operand(operand_expr, kUnaryMinus);
    const bool numeric_literal =
        operand_expr.kind == ExprKind::Literal && operand_expr.literal.is_numeric();
    // "- -x", not "--x", which would read as a comment.
    if ((operand_expr.kind == ExprKind::Unary && operand_expr.unary_op == UnaryOp::Neg) ||
        (numeric_literal && is_negative_number(operand_expr.literal))) {
      return "- " + expr(operand_expr);
    }
    // "-(5)", not "-5", which would read back as the literal -5 rather than minus 5.
    if (numeric_literal) return "-(" + expr(operand_expr) + ")";
    return "-" + operand(operand_expr, kPrimary);
  }

  std::string list(const std::vector<ExprPtr>& exprs) const {
    std::string out;
    for (size_t i = 0; i < exprs.size(); ++i) out += (i > 0 ? ", " : "") + expr(*exprs[i]);
    return out;
  }

  std::string item(const SelectItem& item) const {
    if (item.star) {
      if (d_.star_columns.empty()) return "*";
      std::string out;
      for (size_t i = 0; i < d_.star_columns.size(); ++i)
        out += (i > 0 ? ", " : "") + name(d_.star_columns[i]);
      return out;
    }
    return expr(*item.expr) + (item.alias.empty() ? "" : " AS " + name(item.alias));
  }

  std::string over(const OverClause& o) const {
    std::string out = "OVER (";
    if (!o.partition_by.empty()) out += "PARTITION BY " + list(o.partition_by) + " ";
    if (d_.frame_order_column) {
      out += "ORDER BY " + name(*d_.frame_order_column) + " ";
    } else if (!o.order_by.empty()) {
      out += "ORDER BY ";
      for (size_t i = 0; i < o.order_by.size(); ++i) {
        if (i > 0) out += ", ";
        out += expr(*o.order_by[i].expr);
        if (o.order_by[i].descending) out += " DESC";
      }
      out += " ";
    }
    out += "ROWS BETWEEN " + std::to_string(o.frame_rows - 1) + " PRECEDING AND CURRENT ROW)";
    return out;
  }

  const SqlDialect& d_;
};

}  // namespace

std::string Expr::to_sql(const SqlDialect& dialect) const {
  return Printer(dialect).expr(*this);
}

std::string SelectStatement::to_sql(const SqlDialect& dialect) const {
  return Printer(dialect).statement(*this);
}

}  // namespace sg::ast

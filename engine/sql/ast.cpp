// Canonical SQL text of an expression. The text parses back to the same tree: parentheses are
// written exactly where precedence needs them, names that are not plain words are quoted, and
// OVER clauses are written in the standard ROWS BETWEEN form.
#include <cassert>
#include <charconv>
#include <cmath>

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

// The child's text, in parentheses when it binds looser than `min_precedence`.
std::string operand_sql(const Expr& child, int min_precedence) {
  std::string text = child.to_sql();
  return precedence(child) < min_precedence ? "(" + text + ")" : text;
}

std::string list_sql(const std::vector<ExprPtr>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->to_sql();
  }
  return out;
}

std::string over_sql(const OverClause& over) {
  std::string out = "OVER (";
  if (!over.partition_by.empty()) out += "PARTITION BY " + list_sql(over.partition_by) + " ";
  if (!over.order_by.empty()) {
    out += "ORDER BY ";
    for (size_t i = 0; i < over.order_by.size(); ++i) {
      if (i > 0) out += ", ";
      out += over.order_by[i].expr->to_sql();
      if (over.order_by[i].descending) out += " DESC";
    }
    out += " ";
  }
  out += "ROWS BETWEEN " + std::to_string(over.frame_rows - 1) + " PRECEDING AND CURRENT ROW)";
  return out;
}

}  // namespace

std::string Expr::to_sql() const {
  switch (kind) {
    case ExprKind::Column:
      return name_sql(name);
    case ExprKind::Literal:
      return literal_sql(literal);
    case ExprKind::Unary: {
      assert(args.size() == 1 && "a unary expression has one operand");
      if (unary_op == UnaryOp::Not) return "NOT " + operand_sql(*args[0], kNot);
      const Expr& operand = *args[0];
      const bool numeric_literal =
          operand.kind == ExprKind::Literal && operand.literal.is_numeric();
      // "- -x", not "--x", which would read as a comment.
      if ((operand.kind == ExprKind::Unary && operand.unary_op == UnaryOp::Neg) ||
          (numeric_literal && is_negative_number(operand.literal))) {
        return "- " + operand.to_sql();
      }
      // "-(5)", not "-5", which would read back as the literal -5 rather than minus 5.
      if (numeric_literal) return "-(" + operand.to_sql() + ")";
      return "-" + operand_sql(operand, kPrimary);
    }
    case ExprKind::IsNull:
      assert(args.size() == 1 && "IS NULL has one operand");
      return operand_sql(*args[0], kComparison) + (negated ? " IS NOT NULL" : " IS NULL");
    case ExprKind::Binary: {
      assert(args.size() == 2 && "a binary expression has two operands");
      // Left-associative: an equal-precedence left child needs no parentheses, a right one does
      // (a - (b - c)).
      int p = precedence(binary_op);
      return operand_sql(*args[0], p) + " " + op_text(binary_op) + " " +
             operand_sql(*args[1], p + 1);
    }
    case ExprKind::Call: {
      std::string out = name + "(" + (star ? std::string("*") : list_sql(args)) + ")";
      if (over) out += " " + over_sql(*over);
      return out;
    }
  }
  return "?";
}

}  // namespace sg::ast

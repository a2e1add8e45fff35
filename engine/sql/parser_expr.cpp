// Expressions: one function per precedence level, loosest first, then literals and calls.
#include <charconv>
#include <limits>
#include <optional>

#include "engine/sql/parser_impl.h"

namespace sg::sql {

using namespace sg::ast;

namespace {

std::optional<BinaryOp> comparison_op(TokenKind kind) {
  switch (kind) {
    case TokenKind::Eq:
      return BinaryOp::Eq;
    case TokenKind::Ne:
      return BinaryOp::Ne;
    case TokenKind::Lt:
      return BinaryOp::Lt;
    case TokenKind::Le:
      return BinaryOp::Le;
    case TokenKind::Gt:
      return BinaryOp::Gt;
    case TokenKind::Ge:
      return BinaryOp::Ge;
    default:
      return std::nullopt;
  }
}

ExprPtr make_expr(ExprKind kind, SourcePos pos) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

ExprPtr make_binary(BinaryOp op, SourcePos pos, ExprPtr left, ExprPtr right) {
  ExprPtr e = make_expr(ExprKind::Binary, pos);
  e->binary_op = op;
  e->args.push_back(std::move(left));
  e->args.push_back(std::move(right));
  return e;
}

ExprPtr make_unary(UnaryOp op, SourcePos pos, ExprPtr operand) {
  ExprPtr e = make_expr(ExprKind::Unary, pos);
  e->unary_op = op;
  e->args.push_back(std::move(operand));
  return e;
}

}  // namespace

std::vector<ExprPtr> Parser::parse_expr_list() {
  std::vector<ExprPtr> list;
  do {
    list.push_back(parse_expr());
  } while (accept(TokenKind::Comma));
  return list;
}

ExprPtr Parser::parse_or() {
  DepthScope scope(depth_);
  ExprPtr left = parse_and();
  while (peek().is_word("OR")) {
    SourcePos pos = advance().pos;
    scope.descend(pos);
    left = make_binary(BinaryOp::Or, pos, std::move(left), parse_and());
  }
  return left;
}

ExprPtr Parser::parse_and() {
  DepthScope scope(depth_);
  ExprPtr left = parse_not();
  while (peek().is_word("AND")) {
    SourcePos pos = advance().pos;
    scope.descend(pos);
    left = make_binary(BinaryOp::And, pos, std::move(left), parse_not());
  }
  return left;
}

ExprPtr Parser::parse_not() {
  if (!peek().is_word("NOT")) return parse_comparison();
  DepthScope scope(depth_);
  SourcePos pos = advance().pos;
  scope.descend(pos);
  return make_unary(UnaryOp::Not, pos, parse_not());
}

ExprPtr Parser::parse_comparison() {
  DepthScope scope(depth_);
  ExprPtr left = parse_additive();
  for (;;) {
    const Token& t = peek();
    if (std::optional<BinaryOp> op = comparison_op(t.kind)) {
      advance();
      scope.descend(t.pos);
      left = make_binary(*op, t.pos, std::move(left), parse_additive());
    } else if (t.is_word("IS")) {
      advance();
      scope.descend(t.pos);
      ExprPtr is_null = make_expr(ExprKind::IsNull, t.pos);
      is_null->negated = accept_word("NOT");
      if (!accept_word("NULL")) fail_expected(is_null->negated ? "NULL" : "NULL or NOT NULL");
      is_null->args.push_back(std::move(left));
      left = std::move(is_null);
    } else {
      return left;
    }
  }
}

ExprPtr Parser::parse_additive() {
  DepthScope scope(depth_);
  ExprPtr left = parse_multiplicative();
  for (;;) {
    const Token& t = peek();
    if (t.kind != TokenKind::Plus && t.kind != TokenKind::Minus) return left;
    advance();
    scope.descend(t.pos);
    BinaryOp op = t.kind == TokenKind::Plus ? BinaryOp::Add : BinaryOp::Sub;
    left = make_binary(op, t.pos, std::move(left), parse_multiplicative());
  }
}

ExprPtr Parser::parse_multiplicative() {
  DepthScope scope(depth_);
  ExprPtr left = parse_unary();
  for (;;) {
    const Token& t = peek();
    BinaryOp op;
    switch (t.kind) {
      case TokenKind::Star:
        op = BinaryOp::Mul;
        break;
      case TokenKind::Slash:
        op = BinaryOp::Div;
        break;
      case TokenKind::Percent:
        op = BinaryOp::Mod;
        break;
      default:
        return left;
    }
    advance();
    scope.descend(t.pos);
    left = make_binary(op, t.pos, std::move(left), parse_unary());
  }
}

ExprPtr Parser::parse_unary() {
  if (peek().kind != TokenKind::Minus) return parse_primary();
  DepthScope scope(depth_);
  SourcePos pos = advance().pos;
  scope.descend(pos);
  // -5 is the literal -5, so that -9223372036854775808 is a valid integer.
  if (peek().kind == TokenKind::Integer || peek().kind == TokenKind::Float) {
    ExprPtr literal = parse_number(advance(), /*negate=*/true);
    literal->pos = pos;
    return literal;
  }
  return make_unary(UnaryOp::Neg, pos, parse_unary());
}

ExprPtr Parser::parse_primary() {
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::Integer:
    case TokenKind::Float:
      return parse_number(advance(), /*negate=*/false);
    case TokenKind::String: {
      ExprPtr e = make_expr(ExprKind::Literal, t.pos);
      e->literal = Value::string(advance().text);
      return e;
    }
    case TokenKind::QuotedIdentifier:
      return parse_column();
    case TokenKind::LParen: {
      DepthScope scope(depth_);
      const Token& open = advance();
      scope.descend(open.pos);
      ExprPtr inner = parse_expr();
      expect_close(open);
      return inner;
    }
    case TokenKind::Identifier:
      if (t.is_word("NULL") || t.is_word("TRUE") || t.is_word("FALSE")) {
        ExprPtr e = make_expr(ExprKind::Literal, t.pos);
        if (!t.is_word("NULL")) e->literal = Value::boolean(t.is_word("TRUE"));
        advance();
        return e;
      }
      if (sql::is_reserved_word(t.text)) break;
      if (peek(1).kind == TokenKind::LParen) return parse_call();
      return parse_column();
    default:
      break;
  }
  fail_expected("expression");
}

ExprPtr Parser::parse_column() {
  const Token& t = advance();
  ExprPtr e = make_expr(ExprKind::Column, t.pos);
  e->name = t.text;
  return e;
}

ExprPtr Parser::parse_number(const Token& t, bool negate) {
  ExprPtr e = make_expr(ExprKind::Literal, t.pos);
  const char* first = t.text.data();
  const char* last = first + t.text.size();
  if (t.kind == TokenKind::Integer) {
    uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(first, last, magnitude);
    // The magnitude of INT64_MIN is one more than INT64_MAX.
    const uint64_t limit = uint64_t{std::numeric_limits<int64_t>::max()} + (negate ? 1 : 0);
    if (ec != std::errc() || end != last || magnitude > limit) {
      throw SqlError(t.pos, "integer literal out of range: " + std::string(negate ? "-" : "") +
                                sql::quote_for_message(t.text));
    }
    // Negate in unsigned arithmetic: -(2^63) has no positive int64 to start from.
    e->literal = Value::integer(static_cast<int64_t>(negate ? 0 - magnitude : magnitude));
  } else {
    double value = 0;
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || end != last) {
      throw SqlError(t.pos, "float literal out of range: " + sql::quote_for_message(t.text));
    }
    e->literal = Value::floating(negate ? -value : value);
  }
  return e;
}

// NAME(args) [OVER (...)], NAME(*) for COUNT only.
ExprPtr Parser::parse_call() {
  DepthScope scope(depth_);
  const Token& name = advance();
  ExprPtr call = make_expr(ExprKind::Call, name.pos);
  call->name = upper(name.text);
  const Token& open = expect(TokenKind::LParen, "'('");
  scope.descend(open.pos);
  if (peek().kind == TokenKind::Star) {
    if (call->name != "COUNT") {
      throw SqlError(peek().pos, "'*' as an argument is only allowed in COUNT(*), not in " +
                                     sql::quote_for_message(call->name) + "(*)");
    }
    advance();
    call->star = true;
  } else if (peek().is_word("DISTINCT") && peek(1).kind != TokenKind::Comma &&
             peek(1).kind != TokenKind::RParen) {
    throw SqlError(peek().pos, "DISTINCT in function arguments is not supported");
  } else if (peek().kind != TokenKind::RParen) {
    call->args = parse_expr_list();
  }
  expect_close(open);
  if (peek().is_word("OVER") && peek(1).kind == TokenKind::LParen) call->over = parse_over();
  return call;
}

}  // namespace sg::sql

// Recursive-descent parser for one SELECT statement.
//
// Expressions use one function per precedence level, loosest first:
//   OR < AND < NOT < comparison and IS [NOT] NULL < + - < * / % < unary minus < primary
// Binary operators are left-associative and parsed in loops, so a long flat list costs no stack;
// every level that makes the tree deeper (a parenthesis, a call, a unary operator, one more
// operator in a chain) is counted against kMaxExprDepth, so neither this parser nor anything
// that later walks the tree recursively can overflow the stack.
//
// Keywords are recognised by context (Token::is_word); only lexer.cpp's short reserved list can
// never be a name.
#include "engine/sql/parser.h"

#include <cassert>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

#include "engine/sql/lexer.h"

namespace sg {

namespace {

using namespace sg::ast;
using sql::Token;
using sql::TokenKind;

constexpr int kMaxExprDepth = 200;
// A ROWS frame is a buffer the engine keeps per partition; a typo such as BUFFER 10000000000
// should be an error here, not an allocation failure later.
constexpr int64_t kMaxFrameRows = 100'000'000;

std::string pos_text(SourcePos pos) {
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

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

// Counts the levels a parse function adds to the tree and gives them back when it returns.
class DepthScope {
 public:
  explicit DepthScope(int& depth) : depth_(depth) {}
  ~DepthScope() { depth_ -= levels_; }
  DepthScope(const DepthScope&) = delete;
  DepthScope& operator=(const DepthScope&) = delete;

  void descend(SourcePos at) {
    ++depth_;
    ++levels_;
    if (depth_ > kMaxExprDepth) {
      throw SqlError(at,
                     "expression nested too deeply (limit " + std::to_string(kMaxExprDepth) + ")");
    }
  }

 private:
  int& depth_;
  int levels_ = 0;
};

// Where the statement is, for the list of what may still come when something unexpected does.
enum class Stage { From, Where, EarlyWindow, GroupBy, Having, LateWindow, Lateness, Emit, End };

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {
    assert(!tokens_.empty() && tokens_.back().kind == TokenKind::End &&
           "tokenize() ends every token list with End");
  }

  SelectStatement parse_statement() {
    SelectStatement stmt;
    expect_word("SELECT");
    parse_select_list(stmt);
    expect_word("FROM");
    const Token& table = expect_name("table name after FROM");
    stmt.from = table.text;
    stmt.from_pos = table.pos;

    Stage stage = Stage::From;
    if (accept_word("WHERE")) {
      stmt.where = parse_expr();
      stage = Stage::Where;
    }
    if (at_window()) {
      stmt.window = parse_window();
      stage = Stage::EarlyWindow;
    }
    if (accept_word("GROUP")) {
      expect_word("BY");
      stmt.group_by = parse_expr_list();
      stage = Stage::GroupBy;
    }
    if (accept_word("HAVING")) {
      stmt.having = parse_expr();
      stage = Stage::Having;
    }
    if (at_window()) {
      if (stmt.window) {
        throw SqlError(peek().pos, "duplicate WINDOW clause (the first one is at " +
                                       pos_text(stmt.window->pos) + ")");
      }
      stmt.window = parse_window();
      stage = Stage::LateWindow;
    }
    if (accept_word("ALLOWED")) {
      expect_word("LATENESS");
      stmt.allowed_lateness_ms = parse_duration("ALLOWED LATENESS", /*allow_zero=*/true).ms;
      stage = Stage::Lateness;
    }
    if (accept_word("EMIT")) {
      if (accept_word("CHANGES")) {
        stmt.emit = EmitMode::Changes;
      } else if (accept_word("FINAL")) {
        stmt.emit = EmitMode::Final;
      } else {
        fail_expected("CHANGES or FINAL after EMIT");
      }
      stage = Stage::Emit;
    }
    if (accept(TokenKind::Semicolon)) stage = Stage::End;
    if (peek().kind != TokenKind::End)
      fail_expected(what_may_follow(stage, stmt.window.has_value()));
    return stmt;
  }

 private:
  // ---- tokens ----

  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  const Token& advance() {
    const Token& t = peek();
    if (next_ < tokens_.size() - 1) ++next_;
    return t;
  }
  bool accept(TokenKind kind) {
    if (peek().kind != kind) return false;
    advance();
    return true;
  }
  bool accept_word(std::string_view word) {
    if (!peek().is_word(word)) return false;
    advance();
    return true;
  }
  [[noreturn]] void fail_expected(std::string_view expected) const {
    throw SqlError(peek().pos,
                   "expected " + std::string(expected) + ", found " + sql::describe_token(peek()));
  }
  const Token& expect(TokenKind kind, std::string_view expected) {
    if (peek().kind != kind) fail_expected(expected);
    return advance();
  }
  void expect_word(std::string_view word) {
    if (!accept_word(word)) fail_expected(std::string(word));
  }
  void expect_close(const Token& open) {
    // The message is built only on failure: this runs for every parenthesis.
    if (peek().kind != TokenKind::RParen)
      fail_expected("')' to close '(' at " + pos_text(open.pos));
    advance();
  }
  // A name: a bare word that is not reserved, or a "quoted identifier".
  bool at_name() const {
    const Token& t = peek();
    return t.kind == TokenKind::QuotedIdentifier ||
           (t.kind == TokenKind::Identifier && !sql::is_reserved_word(t.text));
  }
  const Token& expect_name(std::string_view expected) {
    if (!at_name()) fail_expected(expected);
    return advance();
  }

  // ---- select list ----

  void parse_select_list(SelectStatement& stmt) {
    for (;;) {
      stmt.items.push_back(parse_select_item());
      if (accept(TokenKind::Comma)) continue;
      if (peek().is_word("FROM")) return;
      // `SELECT a FORM t` reads FORM as an alias of a and then stumbles on t: the misspelled
      // keyword is the better thing to point at.
      const SelectItem& last = stmt.items.back();
      if (!last.alias.empty() && last_alias_implicit_ && at_name()) {
        throw SqlError(last_alias_token_->pos,
                       "expected FROM, found " + sql::describe_token(*last_alias_token_));
      }
      fail_expected("FROM");
    }
  }

  SelectItem parse_select_item() {
    SelectItem item;
    item.pos = peek().pos;
    last_alias_implicit_ = false;
    if (accept(TokenKind::Star)) {
      item.star = true;
      return item;
    }
    item.expr = parse_expr();
    if (accept_word("AS")) {
      item.alias = expect_name("alias after AS").text;
    } else if (at_name()) {
      last_alias_implicit_ = true;
      last_alias_token_ = &advance();
      item.alias = last_alias_token_->text;
    }
    return item;
  }

  // ---- expressions, loosest binding first ----

  ExprPtr parse_expr() { return parse_or(); }

  std::vector<ExprPtr> parse_expr_list() {
    std::vector<ExprPtr> list;
    do {
      list.push_back(parse_expr());
    } while (accept(TokenKind::Comma));
    return list;
  }

  ExprPtr parse_or() {
    DepthScope scope(depth_);
    ExprPtr left = parse_and();
    while (peek().is_word("OR")) {
      SourcePos pos = advance().pos;
      scope.descend(pos);
      left = make_binary(BinaryOp::Or, pos, std::move(left), parse_and());
    }
    return left;
  }

  ExprPtr parse_and() {
    DepthScope scope(depth_);
    ExprPtr left = parse_not();
    while (peek().is_word("AND")) {
      SourcePos pos = advance().pos;
      scope.descend(pos);
      left = make_binary(BinaryOp::And, pos, std::move(left), parse_not());
    }
    return left;
  }

  ExprPtr parse_not() {
    if (!peek().is_word("NOT")) return parse_comparison();
    DepthScope scope(depth_);
    SourcePos pos = advance().pos;
    scope.descend(pos);
    return make_unary(UnaryOp::Not, pos, parse_not());
  }

  ExprPtr parse_comparison() {
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

  ExprPtr parse_additive() {
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

  ExprPtr parse_multiplicative() {
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

  ExprPtr parse_unary() {
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

  ExprPtr parse_primary() {
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

  ExprPtr parse_column() {
    const Token& t = advance();
    ExprPtr e = make_expr(ExprKind::Column, t.pos);
    e->name = t.text;
    return e;
  }

  ExprPtr parse_number(const Token& t, bool negate) {
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
  ExprPtr parse_call() {
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

  // ---- OVER (...) ----

  std::unique_ptr<OverClause> parse_over() {
    auto over = std::make_unique<OverClause>();
    over->pos = advance().pos;  // OVER
    const Token& open = expect(TokenKind::LParen, "'('");
    if (peek().is_word("ROWS") && peek(1).is_word("WINDOW")) {
      // The seeds' form: ROWS WINDOW BUFFER n ROWS [PARTITION BY ..] [ORDER BY ..]
      advance();
      advance();
      expect_word("BUFFER");
      over->frame_rows = parse_row_count("number of rows after BUFFER", 1, kMaxFrameRows);
      expect_word("ROWS");
      parse_partition_and_order(*over);
    } else {
      parse_partition_and_order(*over);
      if (accept_word("ROWS")) {
        over->frame_rows = parse_rows_frame();
      } else if (peek().is_word("RANGE")) {
        throw SqlError(peek().pos,
                       "RANGE frames are not supported: use ROWS BETWEEN n PRECEDING AND CURRENT "
                       "ROW");
      } else if (peek().kind == TokenKind::RParen) {
        throw SqlError(peek().pos,
                       "a bounded ROWS frame is required (ROWS BETWEEN n PRECEDING AND CURRENT "
                       "ROW, or ROWS WINDOW BUFFER n ROWS): unbounded frames are not supported");
      }
    }
    expect_close(open);
    assert(over->frame_rows >= 1 && "every accepted OVER clause has a bounded frame");
    return over;
  }

  void parse_partition_and_order(OverClause& over) {
    if (accept_word("PARTITION")) {
      expect_word("BY");
      over.partition_by = parse_expr_list();
    }
    if (accept_word("ORDER")) {
      expect_word("BY");
      do {
        OrderItem item;
        item.expr = parse_expr();
        if (accept_word("DESC")) {
          item.descending = true;
        } else {
          accept_word("ASC");
        }
        over.order_by.push_back(std::move(item));
      } while (accept(TokenKind::Comma));
    }
  }

  // After ROWS: BETWEEN n PRECEDING AND CURRENT ROW, n PRECEDING, or CURRENT ROW.
  // Returns the rows in the frame, the current one included.
  int64_t parse_rows_frame() {
    if (peek().is_word("UNBOUNDED") || peek(1).is_word("UNBOUNDED")) {
      const Token& at = peek().is_word("UNBOUNDED") ? peek() : peek(1);
      throw SqlError(at.pos,
                     "unbounded frames are not supported: a bounded ROWS frame is required "
                     "(ROWS BETWEEN n PRECEDING AND CURRENT ROW)");
    }
    bool between = accept_word("BETWEEN");
    int64_t frame_rows = 1;
    if (accept_word("CURRENT")) {
      expect_word("ROW");
    } else {
      // n preceding rows and the current one.
      frame_rows =
          parse_row_count("number of PRECEDING rows or CURRENT ROW", 0, kMaxFrameRows - 1) + 1;
      expect_word("PRECEDING");
    }
    if (between) {
      expect_word("AND");
      if (!peek().is_word("CURRENT")) {
        fail_expected("CURRENT ROW (frames must end at the current row)");
      }
      advance();
      expect_word("ROW");
    }
    return frame_rows;
  }

  int64_t parse_row_count(std::string_view expected, int64_t minimum, int64_t maximum) {
    const Token& t = expect(TokenKind::Integer, expected);
    int64_t n = parse_number(t, false)->literal.as_int();
    if (n < minimum) {
      throw SqlError(t.pos, "row count must be at least " + std::to_string(minimum) + ", found " +
                                std::to_string(n));
    }
    if (n > maximum) {
      throw SqlError(t.pos, "window frame too large: " + std::to_string(n) + " (limit " +
                                std::to_string(maximum) + ")");
    }
    return n;
  }

  // ---- WINDOW TUMBLING (...) and durations ----

  bool at_window() const {
    return peek().is_word("WINDOW") ||
           (peek().is_word("TUMBLING") && peek(1).kind == TokenKind::LParen);
  }

  // [WINDOW] TUMBLING (time_column, INTERVAL 'n' unit) | (INTERVAL 'n' unit) | (30s)
  TumblingWindow parse_window() {
    TumblingWindow window;
    window.pos = peek().pos;
    if (!accept_word("WINDOW")) {
      expect_word("TUMBLING");  // the shorthand without WINDOW; at_window() saw it
    } else if (!accept_word("TUMBLING")) {
      if (peek().is_word("HOPPING") || peek().is_word("SLIDING") || peek().is_word("SESSION")) {
        throw SqlError(peek().pos, upper(peek().text) +
                                       " windows are not supported: only TUMBLING windows are");
      }
      fail_expected("TUMBLING after WINDOW");
    }
    const Token& open = expect(TokenKind::LParen, "'(' after TUMBLING");
    bool shorthand = peek().kind == TokenKind::Integer ||
                     (peek().is_word("INTERVAL") && peek(1).kind == TokenKind::String);
    if (!shorthand) {
      const Token& column = expect_name("time column, INTERVAL or a duration such as 1m");
      window.time_column = column.text;
      window.time_column_pos = column.pos;
      expect(TokenKind::Comma, "',' and the window size after the time column");
    }
    Duration size = parse_duration("window size", /*allow_zero=*/false);
    window.size_ms = size.ms;
    expect_close(open);
    return window;
  }

  struct Duration {
    int64_t ms = 0;
  };

  // INTERVAL 'n' SECOND[S]|MINUTE[S]|HOUR[S]|MILLISECOND[S], or the shorthand n ms|s|m|h.
  Duration parse_duration(std::string_view what, bool allow_zero) {
    SourcePos pos = peek().pos;
    int64_t count = 0;
    int64_t unit_ms = 0;
    if (peek().kind == TokenKind::Integer) {
      const Token& number = advance();
      count = parse_number(number, false)->literal.as_int();
      if (peek().kind != TokenKind::Identifier) {
        fail_expected("a unit (ms, s, m or h) after " + sql::quote_for_message(number.text));
      }
      const Token& unit = advance();
      unit_ms = shorthand_unit_ms(unit);
    } else {
      if (!accept_word("INTERVAL")) {
        fail_expected("INTERVAL 'n' unit or a duration such as 30s for " + std::string(what));
      }
      const Token& amount = expect(TokenKind::String, "a quoted number such as '1' after INTERVAL");
      count = interval_count(amount);
      if (accept_word("MILLISECOND") || accept_word("MILLISECONDS")) {
        unit_ms = 1;
      } else if (accept_word("SECOND") || accept_word("SECONDS")) {
        unit_ms = 1000;
      } else if (accept_word("MINUTE") || accept_word("MINUTES")) {
        unit_ms = 60'000;
      } else if (accept_word("HOUR") || accept_word("HOURS")) {
        unit_ms = 3'600'000;
      } else {
        fail_expected("SECOND, MINUTE or HOUR");
      }
    }
    Duration d;
    if (__builtin_mul_overflow(count, unit_ms, &d.ms)) {
      throw SqlError(pos, "interval out of range for " + std::string(what));
    }
    if (d.ms == 0 && !allow_zero) {
      throw SqlError(pos, std::string(what) + " must be greater than 0");
    }
    return d;
  }

  static int64_t shorthand_unit_ms(const Token& unit) {
    if (unit.is_word("MS")) return 1;
    if (unit.is_word("S")) return 1000;
    if (unit.is_word("M")) return 60'000;
    if (unit.is_word("H")) return 3'600'000;
    throw SqlError(unit.pos, "expected a unit (ms, s, m or h), found " + sql::describe_token(unit));
  }

  // The 'n' of INTERVAL 'n': a whole number, nothing else.
  static int64_t interval_count(const Token& amount) {
    const std::string& s = amount.text;
    int64_t count = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
    bool digits_only = !s.empty() && s[0] != '-';
    if (!digits_only || ec != std::errc() || end != s.data() + s.size()) {
      throw SqlError(amount.pos,
                     "expected a whole number of units in the INTERVAL string, found '" +
                         sql::quote_for_message(s) + "'");
    }
    return count;
  }

  // ---- end of statement ----

  static std::string what_may_follow(Stage stage, bool have_window) {
    std::vector<std::string> options;
    auto before = [&](Stage s) { return stage < s; };
    // WINDOW is listed where it may come: before GROUP BY, or else after HAVING.
    const bool window_open = !have_window && before(Stage::LateWindow);
    if (before(Stage::Where)) options.push_back("WHERE");
    if (window_open && before(Stage::GroupBy)) options.push_back("WINDOW");
    if (before(Stage::GroupBy)) options.push_back("GROUP BY");
    if (before(Stage::Having)) options.push_back("HAVING");
    if (window_open && !before(Stage::GroupBy)) options.push_back("WINDOW");
    if (before(Stage::Lateness)) options.push_back("ALLOWED LATENESS");
    if (before(Stage::Emit)) options.push_back("EMIT");
    if (before(Stage::End)) options.push_back("';'");
    std::string out;
    for (const std::string& option : options) out += option + ", ";
    if (!out.empty()) {
      out.resize(out.size() - 2);
      out += " or ";
    }
    return out + "end of input";
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
  // For the "SELECT a FORM t" message: the last item's alias came without AS.
  bool last_alias_implicit_ = false;
  const Token* last_alias_token_ = nullptr;
};

}  // namespace

ast::SelectStatement parse_select(std::string_view sql) {
  return Parser(sql::tokenize(sql)).parse_statement();
}

}  // namespace sg

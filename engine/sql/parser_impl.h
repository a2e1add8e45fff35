// The parser's class, shared by the files that implement it: parser.cpp (the statement and its
// clauses), parser_expr.cpp (expressions) and parser_windows.cpp (OVER, WINDOW TUMBLING and
// durations). Internal to engine/sql; everyone else calls parse_select() in parser.h.
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
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sql/ast.h"
#include "engine/sql/lexer.h"

namespace sg::sql {

inline constexpr int kMaxExprDepth = 200;
// A ROWS frame is a buffer the engine keeps per partition; a typo such as BUFFER 10000000000
// should be an error here, not an allocation failure later.
inline constexpr int64_t kMaxFrameRows = 100'000'000;

// "3:14", for messages that point at a second place.
std::string pos_text(SourcePos pos);
// ASCII upper case: function names are stored upper-cased.
std::string upper(std::string_view s);

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

  ast::SelectStatement parse_statement();

 private:
  using Expr = ast::Expr;
  using ExprPtr = ast::ExprPtr;
  using SelectStatement = ast::SelectStatement;
  using SelectItem = ast::SelectItem;
  using OverClause = ast::OverClause;
  using TumblingWindow = ast::TumblingWindow;

  struct Duration {
    int64_t ms = 0;
  };

  // ---- tokens (inline: they run for every token) ----

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
  // Throws "expected <expected>, found <the next token>" at the next token.
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
    if (peek().kind != TokenKind::RParen) {
      fail_expected("')' to close '(' at " + pos_text(open.pos));
    }
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

  // ---- the statement (parser.cpp) ----

  void parse_select_list(SelectStatement& stmt);
  SelectItem parse_select_item();
  static std::string what_may_follow(Stage stage, bool have_window);

  // ---- expressions, loosest binding first (parser_expr.cpp) ----

  ExprPtr parse_expr() { return parse_or(); }
  std::vector<ExprPtr> parse_expr_list();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_not();
  ExprPtr parse_comparison();
  ExprPtr parse_additive();
  ExprPtr parse_multiplicative();
  ExprPtr parse_unary();
  ExprPtr parse_primary();
  ExprPtr parse_column();
  ExprPtr parse_number(const Token& t, bool negate);
  // NAME(args) [OVER (...)], NAME(*) for COUNT only.
  ExprPtr parse_call();

  // ---- OVER (...), WINDOW TUMBLING (...) and durations (parser_windows.cpp) ----

  std::unique_ptr<OverClause> parse_over();
  void parse_partition_and_order(OverClause& over);
  // After ROWS: BETWEEN n PRECEDING AND CURRENT ROW, n PRECEDING, or CURRENT ROW.
  // Returns the rows in the frame, the current one included.
  int64_t parse_rows_frame();
  int64_t parse_row_count(std::string_view expected, int64_t minimum, int64_t maximum);
  bool at_window() const;
  // [WINDOW] TUMBLING (time_column, INTERVAL 'n' unit) | (INTERVAL 'n' unit) | (30s)
  TumblingWindow parse_window();
  // INTERVAL 'n' SECOND[S]|MINUTE[S]|HOUR[S]|MILLISECOND[S], or the shorthand n ms|s|m|h.
  Duration parse_duration(std::string_view what, bool allow_zero);
  static int64_t shorthand_unit_ms(const Token& unit);
  // The 'n' of INTERVAL 'n': a whole number, nothing else.
  static int64_t interval_count(const Token& amount);

  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
  // For the "SELECT a FORM t" message: the last item's alias came without AS.
  bool last_alias_implicit_ = false;
  const Token* last_alias_token_ = nullptr;
};

}  // namespace sg::sql

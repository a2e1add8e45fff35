// parse_select(): the statement and its clauses. Expressions are in parser_expr.cpp, OVER and
// WINDOW clauses in parser_windows.cpp; parser_impl.h describes the whole parser.
#include "engine/sql/parser.h"

#include "engine/sql/parser_impl.h"

namespace sg {

namespace sql {

using namespace sg::ast;

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

SelectStatement Parser::parse_statement() {
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
  if (peek().kind != TokenKind::End) {
    fail_expected(what_may_follow(stage, stmt.window.has_value()));
  }
  return stmt;
}

void Parser::parse_select_list(SelectStatement& stmt) {
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

SelectItem Parser::parse_select_item() {
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

std::string Parser::what_may_follow(Stage stage, bool have_window) {
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

}  // namespace sql

ast::SelectStatement parse_select(std::string_view sql) {
  return sql::Parser(sql::tokenize(sql)).parse_statement();
}

}  // namespace sg

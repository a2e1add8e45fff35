// OVER (...) frames, WINDOW TUMBLING (...) and the durations both use.
#include <charconv>

#include "engine/sql/parser_impl.h"

namespace sg::sql {

using namespace sg::ast;

std::unique_ptr<OverClause> Parser::parse_over() {
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

void Parser::parse_partition_and_order(OverClause& over) {
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
int64_t Parser::parse_rows_frame() {
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

int64_t Parser::parse_row_count(std::string_view expected, int64_t minimum, int64_t maximum) {
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

bool Parser::at_window() const {
  return peek().is_word("WINDOW") ||
         (peek().is_word("TUMBLING") && peek(1).kind == TokenKind::LParen);
}

// [WINDOW] TUMBLING (time_column, INTERVAL 'n' unit) | (INTERVAL 'n' unit) | (30s)
TumblingWindow Parser::parse_window() {
  TumblingWindow window;
  window.pos = peek().pos;
  if (!accept_word("WINDOW")) {
    expect_word("TUMBLING");  // the shorthand without WINDOW; at_window() saw it
  } else if (!accept_word("TUMBLING")) {
    if (peek().is_word("HOPPING") || peek().is_word("SLIDING") || peek().is_word("SESSION")) {
      throw SqlError(peek().pos,
                     upper(peek().text) + " windows are not supported: only TUMBLING windows are");
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

// INTERVAL 'n' SECOND[S]|MINUTE[S]|HOUR[S]|MILLISECOND[S], or the shorthand n ms|s|m|h.
Parser::Duration Parser::parse_duration(std::string_view what, bool allow_zero) {
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

int64_t Parser::shorthand_unit_ms(const Token& unit) {
  if (unit.is_word("MS")) return 1;
  if (unit.is_word("S")) return 1000;
  if (unit.is_word("M")) return 60'000;
  if (unit.is_word("H")) return 3'600'000;
  throw SqlError(unit.pos, "expected a unit (ms, s, m or h), found " + sql::describe_token(unit));
}

// The 'n' of INTERVAL 'n': a whole number, nothing else.
int64_t Parser::interval_count(const Token& amount) {
  const std::string& s = amount.text;
  int64_t count = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
  bool digits_only = !s.empty() && s[0] != '-';
  if (!digits_only || ec != std::errc() || end != s.data() + s.size()) {
    throw SqlError(amount.pos, "expected a whole number of units in the INTERVAL string, found '" +
                                   sql::quote_for_message(s) + "'");
  }
  return count;
}

}  // namespace sg::sql

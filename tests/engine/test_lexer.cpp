#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/sql/lexer.h"

using namespace sg;
using sg::sql::Token;
using sg::sql::TokenKind;

namespace {

std::vector<TokenKind> kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> out;
  for (const Token& t : tokens) out.push_back(t.kind);
  return out;
}

std::vector<std::string> texts(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(t.text);
  return out;
}

// The SqlError tokenize(sql) throws; fails the test when it throws none.
SqlError lex_error(std::string_view sql, const sql::LexerLimits& limits = {}) {
  try {
    sql::tokenize(sql, limits);
  } catch (const SqlError& e) {
    return e;
  }
  FAIL("expected an SqlError for: " << sql);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("lexer: words come out as identifiers, case and spelling kept") {
  auto tokens = sql::tokenize("SELECT order_id, _x1 FROM Orders");
  REQUIRE(kinds(tokens) == std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Identifier,
                                                  TokenKind::Comma, TokenKind::Identifier,
                                                  TokenKind::Identifier, TokenKind::Identifier,
                                                  TokenKind::End});
  REQUIRE(texts(tokens) ==
          std::vector<std::string>{"SELECT", "order_id", ",", "_x1", "FROM", "Orders", ""});
  REQUIRE(tokens[0].is_word("SELECT"));
  REQUIRE(tokens[4].is_word("FROM"));
  REQUIRE_FALSE(tokens[1].is_word("ORDER"));
}

TEST_CASE("lexer: quoted identifiers unescape doubled quotes and are never keywords") {
  auto tokens = sql::tokenize(R"("from" "a ""b"" c" "x y")");
  REQUIRE(kinds(tokens) == std::vector<TokenKind>{TokenKind::QuotedIdentifier,
                                                  TokenKind::QuotedIdentifier,
                                                  TokenKind::QuotedIdentifier, TokenKind::End});
  REQUIRE(tokens[0].text == "from");
  REQUIRE_FALSE(tokens[0].is_word("FROM"));
  REQUIRE(tokens[1].text == "a \"b\" c");
  REQUIRE(tokens[2].text == "x y");
}

TEST_CASE("lexer: integer and float literals keep their text") {
  auto tokens = sql::tokenize("0 42 1.5 1e3 .5 1. 2.5E-3 7e+2");
  REQUIRE(kinds(tokens) ==
          std::vector<TokenKind>{TokenKind::Integer, TokenKind::Integer, TokenKind::Float,
                                 TokenKind::Float, TokenKind::Float, TokenKind::Float,
                                 TokenKind::Float, TokenKind::Float, TokenKind::End});
  REQUIRE(texts(tokens) ==
          std::vector<std::string>{"0", "42", "1.5", "1e3", ".5", "1.", "2.5E-3", "7e+2", ""});
}

TEST_CASE("lexer: a number followed by a letter is a number and a word (30s, 1m, 1e)") {
  auto tokens = sql::tokenize("30s 1m 100ms 1e");
  REQUIRE(texts(tokens) ==
          std::vector<std::string>{"30", "s", "1", "m", "100", "ms", "1", "e", ""});
  REQUIRE(tokens[0].kind == TokenKind::Integer);
  REQUIRE(tokens[1].kind == TokenKind::Identifier);
  REQUIRE(tokens[6].kind == TokenKind::Integer);  // "1e" has no exponent digits
}

TEST_CASE("lexer: string literals unescape '' and may span lines") {
  auto tokens = sql::tokenize("'it''s' '' 'two\nlines' x");
  REQUIRE(kinds(tokens) == std::vector<TokenKind>{TokenKind::String, TokenKind::String,
                                                  TokenKind::String, TokenKind::Identifier,
                                                  TokenKind::End});
  REQUIRE(tokens[0].text == "it's");
  REQUIRE(tokens[1].text.empty());
  REQUIRE(tokens[2].text == "two\nlines");
  // The newline inside the string moves x to line 2.
  REQUIRE(tokens[3].pos.line == 2);
  REQUIRE(tokens[3].pos.column == 8);
}

TEST_CASE("lexer: every operator and punctuation symbol") {
  auto tokens = sql::tokenize(", ( ) ; * + - / % = == != <> < <= > >=");
  REQUIRE(kinds(tokens) ==
          std::vector<TokenKind>{
              TokenKind::Comma, TokenKind::LParen, TokenKind::RParen, TokenKind::Semicolon,
              TokenKind::Star, TokenKind::Plus, TokenKind::Minus, TokenKind::Slash,
              TokenKind::Percent, TokenKind::Eq, TokenKind::Eq, TokenKind::Ne, TokenKind::Ne,
              TokenKind::Lt, TokenKind::Le, TokenKind::Gt, TokenKind::Ge, TokenKind::End});
  // No whitespace needed between symbols.
  REQUIRE(kinds(sql::tokenize("a<=-b")) ==
          std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Le, TokenKind::Minus,
                                 TokenKind::Identifier, TokenKind::End});
}

TEST_CASE("lexer: positions are 1-based line:column over several lines") {
  auto tokens = sql::tokenize("SELECT a,\n  b\r\n\tFROM t\n\n");
  REQUIRE(tokens.size() == 7);
  auto at = [&](size_t i, int line, int column) {
    INFO("token " << i << " '" << tokens[i].text << "'");
    CHECK(tokens[i].pos.line == line);
    CHECK(tokens[i].pos.column == column);
  };
  at(0, 1, 1);  // SELECT
  at(1, 1, 8);  // a
  at(2, 1, 9);  // ,
  at(3, 2, 3);  // b
  at(4, 3, 2);  // FROM, after a tab (one byte, one column)
  at(5, 3, 7);  // t
  at(6, 5, 1);  // end of input
}

TEST_CASE("lexer: -- and /* */ comments are skipped") {
  auto tokens = sql::tokenize(
      "SELECT a -- the first column\n"
      "/* a block\n comment */ , b--trailing");
  REQUIRE(texts(tokens) == std::vector<std::string>{"SELECT", "a", ",", "b", ""});
  REQUIRE(tokens[2].pos.line == 3);
  REQUIRE(tokens[2].pos.column == 13);
  // A comment running to the end of input is fine; a minus is still a minus.
  REQUIRE(kinds(sql::tokenize("a - b -- c")) ==
          std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Minus, TokenKind::Identifier,
                                 TokenKind::End});
}

TEST_CASE("lexer: an empty or blank input is just the end token") {
  REQUIRE(kinds(sql::tokenize("")) == std::vector<TokenKind>{TokenKind::End});
  auto tokens = sql::tokenize("  \n -- nothing\n");
  REQUIRE(kinds(tokens) == std::vector<TokenKind>{TokenKind::End});
  REQUIRE(tokens[0].pos.line == 3);
}

TEST_CASE("lexer: errors name the problem and the position") {
  SECTION("unterminated string: at its opening quote") {
    SqlError e = lex_error("SELECT a\nFROM t WHERE s = 'abc");
    REQUIRE(e.message() == "unterminated string literal");
    REQUIRE(e.pos().line == 2);
    REQUIRE(e.pos().column == 18);
    REQUIRE(std::string(e.what()) == "2:18: unterminated string literal");
  }
  SECTION("a doubled quote at the end does not close the string") {
    REQUIRE(lex_error("'abc''").message() == "unterminated string literal");
  }
  SECTION("unterminated quoted identifier") {
    SqlError e = lex_error("SELECT \"abc");
    REQUIRE(e.message() == "unterminated quoted identifier");
    REQUIRE(e.pos().column == 8);
  }
  SECTION("empty quoted identifier") {
    REQUIRE(lex_error("SELECT \"\"").message() == "empty quoted identifier \"\"");
  }
  SECTION("unterminated block comment") {
    SqlError e = lex_error("SELECT a /* never closed");
    REQUIRE(e.message() == "unterminated comment: '/*' without '*/'");
    REQUIRE(e.pos().column == 10);
  }
  SECTION("unexpected characters are named, escaped when not printable") {
    SqlError hash = lex_error("SELECT a # b");
    REQUIRE(hash.message() == "unexpected character '#'");
    REQUIRE(hash.pos().column == 10);
    REQUIRE(lex_error(std::string_view("a \0 b", 5)).message() == "unexpected character '\\x00'");
    REQUIRE(lex_error("a \xC3\xA9").message() == "unexpected character '\\xC3'");
    REQUIRE(lex_error("a ! b").message() == "unexpected character '!' (did you mean '!='?)");
    REQUIRE_THAT(lex_error("t.col").message(), Catch::Contains("qualified names"));
  }
}

TEST_CASE("lexer: limits turn huge inputs into errors") {
  sql::LexerLimits small;
  small.max_tokens = 5;
  small.max_identifier_bytes = 8;
  small.max_string_bytes = 4;
  small.max_number_bytes = 6;
  REQUIRE(sql::tokenize("a b c d", small).size() == 5);
  REQUIRE(lex_error("a b c d e", small).message() == "query too long: more than 5 tokens");
  REQUIRE(lex_error("abcdefghi", small).message() == "identifier too long (9 bytes, limit 8)");
  REQUIRE(lex_error("'abcde'", small).message() == "string literal too long (limit 4 bytes)");
  REQUIRE(lex_error("\"abcdefghi\"", small).message() ==
          "quoted identifier too long (limit 8 bytes)");
  REQUIRE(lex_error("1234567", small).message() ==
          "numeric literal too long (7 characters, limit 6)");
  // Default limits: a long but reasonable string is fine.
  REQUIRE(sql::tokenize("'" + std::string(100000, 'x') + "'")[0].text.size() == 100000);
}

TEST_CASE("lexer: tokens describe themselves for messages") {
  auto tokens = sql::tokenize("FORM from 42 1.5 'abc' \"Col\" )");
  REQUIRE(sql::describe_token(tokens[0]) == "identifier 'FORM'");
  REQUIRE(sql::describe_token(tokens[1]) == "keyword from");
  REQUIRE(sql::describe_token(tokens[2]) == "integer 42");
  REQUIRE(sql::describe_token(tokens[3]) == "float 1.5");
  REQUIRE(sql::describe_token(tokens[4]) == "string 'abc'");
  REQUIRE(sql::describe_token(tokens[5]) == "quoted identifier \"Col\"");
  REQUIRE(sql::describe_token(tokens[6]) == "')'");
  REQUIRE(sql::describe_token(tokens[7]) == "end of input");
  // Long and binary text is cut and escaped.
  REQUIRE(sql::quote_for_message(std::string(50, 'a'), 10) == "aaaaaaaaaa...");
  REQUIRE(sql::quote_for_message("a\nb\x7f") == "a\\x0Ab\\x7F");
}

TEST_CASE("lexer: only a handful of words are reserved") {
  for (const char* word : {"SELECT", "from", "Where", "GROUP", "HAVING", "AND", "OR", "NOT", "IS",
                           "NULL", "TRUE", "FALSE", "AS"}) {
    INFO(word);
    CHECK(sql::is_reserved_word(word));
  }
  for (const char* word : {"timestamp", "value", "date", "time", "window", "order", "partition",
                           "rows", "emit", "tumbling", "interval", "count", "over", "by"}) {
    INFO(word);
    CHECK_FALSE(sql::is_reserved_word(word));
  }
}

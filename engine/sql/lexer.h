// Splits SQL text into tokens for the parser.
//
// Keywords are not a token kind: every word comes out as an Identifier and the parser decides by
// context whether it is a keyword. That keeps the reserved set tiny (see is_reserved_word), so
// columns named `timestamp`, `value`, `date` or `window` work as plain identifiers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sql/sql_error.h"

namespace sg::sql {

enum class TokenKind {
  End,               // end of input; always the last token
  Identifier,        // a bare word: a name or a keyword, case as written
  QuotedIdentifier,  // "a name" with "" unescaped; never a keyword
  Integer,           // digits only, as written (the parser converts, so it can fold a minus)
  Float,             // 1.5, 1e3, .5, 1. as written
  String,            // 'text' with '' unescaped
  Comma,
  LParen,
  RParen,
  Semicolon,
  Star,
  Plus,
  Minus,
  Slash,
  Percent,
  Eq,  // =
  Ne,  // != or <>
  Lt,
  Le,
  Gt,
  Ge,
};

// "identifier", "integer literal", "')'", ... for messages.
const char* token_kind_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;  // see TokenKind; for symbols the symbol as written
  SourcePos pos;     // of the token's first byte

  // True for a bare (unquoted) word equal to `word`, ignoring case. `word` is upper case.
  bool is_word(std::string_view word) const;
};

// Words that can never be a bare column name or an implicit alias, because the grammar would be
// ambiguous otherwise. Everything else (WINDOW, TUMBLING, EMIT, ORDER, ROWS, ...) is a keyword
// only where the grammar expects one.
bool is_reserved_word(std::string_view word);

// The token as a message names it: "identifier 'FORM'", "keyword FROM", "integer 42",
// "string 'abc'", "')'", "end of input". Long or non-printable text is shortened and escaped.
std::string describe_token(const Token& token);

// Text quoted for a message: printable ASCII as is, other bytes as \xNN, cut at max_bytes.
std::string quote_for_message(std::string_view text, size_t max_bytes = 40);

// Bounds that keep any input, however hostile, to a clear error instead of unbounded work.
struct LexerLimits {
  size_t max_tokens = 1'000'000;
  size_t max_identifier_bytes = 1024;
  size_t max_string_bytes = 1 << 20;
  size_t max_number_bytes = 400;
};

// Tokenizes the whole input; the result always ends with one End token. Throws SqlError at the
// offending position for an unexpected character, an unterminated string, quoted identifier or
// comment, a malformed number, or a limit exceeded.
std::vector<Token> tokenize(std::string_view sql, const LexerLimits& limits = {});

}  // namespace sg::sql

#include "engine/sql/lexer.h"

#include <array>
#include <cassert>

#include "engine/schema.h"

namespace sg::sql {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c);
}

// Reserved: clause starters that may follow an expression or a select item (so an implicit alias
// or a bare column would swallow them), the words that begin or continue expressions, and AS.
constexpr std::array kReservedWords = {"AND", "AS",   "FALSE", "FROM",   "GROUP", "HAVING", "IS",
                                       "NOT", "NULL", "OR",    "SELECT", "TRUE",  "WHERE"};

class Lexer {
 public:
  Lexer(std::string_view sql, const LexerLimits& limits) : sql_(sql), limits_(limits) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      skip_space_and_comments();
      if (tokens.size() >= limits_.max_tokens) {
        throw SqlError(
            here(), "query too long: more than " + std::to_string(limits_.max_tokens) + " tokens");
      }
      if (at_end()) {
        tokens.push_back(Token{TokenKind::End, "", here()});
        return tokens;
      }
      tokens.push_back(next_token());
    }
  }

 private:
  bool at_end() const { return i_ >= sql_.size(); }
  char peek(size_t ahead = 0) const { return i_ + ahead < sql_.size() ? sql_[i_ + ahead] : '\0'; }
  SourcePos here() const { return SourcePos{line_, static_cast<int>(i_ - line_start_) + 1}; }
  // Consumes one byte, keeping line and column right across newlines inside strings too.
  void advance() {
    assert(!at_end() && "advance past the end of the input");
    if (sql_[i_] == '\n') {
      ++line_;
      line_start_ = i_ + 1;
    }
    ++i_;
  }

  void skip_space_and_comments() {
    while (!at_end()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance();
      } else if (c == '-' && peek(1) == '-') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        SourcePos start = here();
        advance();
        advance();
        while (!(peek() == '*' && peek(1) == '/')) {
          if (at_end()) throw SqlError(start, "unterminated comment: '/*' without '*/'");
          advance();
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  Token next_token() {
    SourcePos pos = here();
    char c = peek();
    if (is_word_start(c)) return word(pos);
    if (is_digit(c) || (c == '.' && is_digit(peek(1)))) return number(pos);
    if (c == '\'') return quoted(pos, '\'', TokenKind::String);
    if (c == '"') return quoted(pos, '"', TokenKind::QuotedIdentifier);
    return symbol(pos);
  }

  Token word(SourcePos pos) {
    size_t start = i_;
    while (!at_end() && is_word_char(peek())) advance();
    if (i_ - start > limits_.max_identifier_bytes) {
      throw SqlError(pos, "identifier too long (" + std::to_string(i_ - start) + " bytes, limit " +
                              std::to_string(limits_.max_identifier_bytes) + ")");
    }
    return Token{TokenKind::Identifier, std::string(sql_.substr(start, i_ - start)), pos};
  }

  // 12, 1.5, 1., .5, 1e3, 2.5E-3. A letter right after the digits ends the number without an
  // error, because the window shorthand TUMBLING(30s) is the integer 30 followed by the unit s.
  Token number(SourcePos pos) {
    size_t start = i_;
    bool is_float = false;
    while (is_digit(peek())) advance();
    if (peek() == '.') {
      is_float = true;
      advance();
      while (is_digit(peek())) advance();
    }
    char e = peek();
    if ((e == 'e' || e == 'E') &&
        (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
      is_float = true;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      while (is_digit(peek())) advance();
    }
    if (i_ - start > limits_.max_number_bytes) {
      throw SqlError(pos, "numeric literal too long (" + std::to_string(i_ - start) +
                              " characters, limit " + std::to_string(limits_.max_number_bytes) +
                              ")");
    }
    return Token{is_float ? TokenKind::Float : TokenKind::Integer,
                 std::string(sql_.substr(start, i_ - start)), pos};
  }

  // 'it''s' or "my ""col""": the quote doubled stands for itself.
  Token quoted(SourcePos pos, char quote, TokenKind kind) {
    const bool is_string = kind == TokenKind::String;
    const size_t limit = is_string ? limits_.max_string_bytes : limits_.max_identifier_bytes;
    std::string text;
    advance();  // opening quote
    for (;;) {
      if (at_end()) {
        throw SqlError(
            pos, is_string ? "unterminated string literal" : "unterminated quoted identifier");
      }
      char c = peek();
      advance();
      if (c == quote) {
        if (peek() != quote) break;
        advance();
      }
      text.push_back(c);
      if (text.size() > limit) {
        throw SqlError(pos, std::string(is_string ? "string literal" : "quoted identifier") +
                                " too long (limit " + std::to_string(limit) + " bytes)");
      }
    }
    if (!is_string && text.empty()) throw SqlError(pos, "empty quoted identifier \"\"");
    return Token{kind, std::move(text), pos};
  }

  Token symbol(SourcePos pos) {
    char c = peek();
    char n = peek(1);
    auto one = [&](TokenKind kind) {
      advance();
      return Token{kind, std::string(1, c), pos};
    };
    auto two = [&](TokenKind kind) {
      advance();
      advance();
      return Token{kind, std::string{c, n}, pos};
    };
    switch (c) {
      case ',':
        return one(TokenKind::Comma);
      case '(':
        return one(TokenKind::LParen);
      case ')':
        return one(TokenKind::RParen);
      case ';':
        return one(TokenKind::Semicolon);
      case '*':
        return one(TokenKind::Star);
      case '+':
        return one(TokenKind::Plus);
      case '-':
        return one(TokenKind::Minus);
      case '/':
        return one(TokenKind::Slash);
      case '%':
        return one(TokenKind::Percent);
      case '=':
        return n == '=' ? two(TokenKind::Eq) : one(TokenKind::Eq);
      case '!':
        if (n == '=') return two(TokenKind::Ne);
        throw SqlError(pos, "unexpected character '!' (did you mean '!='?)");
      case '<':
        if (n == '=') return two(TokenKind::Le);
        if (n == '>') return two(TokenKind::Ne);
        return one(TokenKind::Lt);
      case '>':
        return n == '=' ? two(TokenKind::Ge) : one(TokenKind::Gt);
      case '.':
        throw SqlError(pos,
                       "unexpected character '.' (qualified names like t.col are not "
                       "supported)");
      default:
        throw SqlError(pos,
                       "unexpected character '" + quote_for_message(std::string_view(&c, 1)) + "'");
    }
  }

  std::string_view sql_;
  const LexerLimits& limits_;
  size_t i_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

const char* token_kind_name(TokenKind kind) {
  switch (kind) {
    case TokenKind::End:
      return "end of input";
    case TokenKind::Identifier:
      return "identifier";
    case TokenKind::QuotedIdentifier:
      return "quoted identifier";
    case TokenKind::Integer:
      return "integer";
    case TokenKind::Float:
      return "float";
    case TokenKind::String:
      return "string";
    case TokenKind::Comma:
      return "','";
    case TokenKind::LParen:
      return "'('";
    case TokenKind::RParen:
      return "')'";
    case TokenKind::Semicolon:
      return "';'";
    case TokenKind::Star:
      return "'*'";
    case TokenKind::Plus:
      return "'+'";
    case TokenKind::Minus:
      return "'-'";
    case TokenKind::Slash:
      return "'/'";
    case TokenKind::Percent:
      return "'%'";
    case TokenKind::Eq:
      return "'='";
    case TokenKind::Ne:
      return "'<>'";
    case TokenKind::Lt:
      return "'<'";
    case TokenKind::Le:
      return "'<='";
    case TokenKind::Gt:
      return "'>'";
    case TokenKind::Ge:
      return "'>='";
  }
  return "token";
}

bool Token::is_word(std::string_view word) const {
  return kind == TokenKind::Identifier && iequals(text, word);
}

bool is_reserved_word(std::string_view word) {
  for (const char* reserved : kReservedWords) {
    if (iequals(word, reserved)) return true;
  }
  return false;
}

std::string quote_for_message(std::string_view text, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == max_bytes) {
      out += "...";
      break;
    }
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out.push_back(static_cast<char>(byte));
    } else {
      out += "\\x";
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

std::string describe_token(const Token& token) {
  switch (token.kind) {
    case TokenKind::End:
      return "end of input";
    case TokenKind::Identifier:
      if (is_reserved_word(token.text)) return "keyword " + quote_for_message(token.text);
      return "identifier '" + quote_for_message(token.text) + "'";
    case TokenKind::QuotedIdentifier:
      return "quoted identifier \"" + quote_for_message(token.text) + "\"";
    case TokenKind::Integer:
      return "integer " + quote_for_message(token.text);
    case TokenKind::Float:
      return "float " + quote_for_message(token.text);
    case TokenKind::String:
      return "string '" + quote_for_message(token.text) + "'";
    default:
      return "'" + quote_for_message(token.text) + "'";
  }
}

std::vector<Token> tokenize(std::string_view sql, const LexerLimits& limits) {
  return Lexer(sql, limits).run();
}

}  // namespace sg::sql

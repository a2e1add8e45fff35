// The one error a query can fail to compile with: it names where, what was found and what was
// expected, e.g. "1:23: expected FROM, found 'FORM'".
#pragma once

#include <stdexcept>
#include <string>

namespace sg {

struct SourcePos {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes
};

class SqlError : public std::runtime_error {
 public:
  SqlError(SourcePos pos, const std::string& message)
      : std::runtime_error(std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
                           message),
        pos_(pos),
        message_(message) {}
  SourcePos pos() const { return pos_; }
  // The message without the position prefix.
  const std::string& message() const { return message_; }

 private:
  SourcePos pos_;
  std::string message_;
};

}  // namespace sg

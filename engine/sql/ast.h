// The parsed form of one SELECT statement: what the parser produces and the planner binds.
// Names are still text here; the planner resolves them against the input schema.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sql/sql_error.h"
#include "engine/value.h"

namespace sg::ast {

enum class ExprKind { Column, Literal, Unary, Binary, IsNull, Call };
enum class UnaryOp { Neg, Not };
enum class BinaryOp { Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge, And, Or };

const char* op_text(UnaryOp op);
const char* op_text(BinaryOp op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// How to_sql() writes a tree. The defaults are streamgauge's own dialect: canonical text that
// parses back to the same tree. Another engine's dialect sets what it needs; the engine knows
// none of them.
struct SqlDialect {
  // A name (column, alias, table) as written. Default: bare when it is a plain word that is not
  // one of our reserved words, else in double quotes.
  std::function<std::string(std::string_view)> identifier;
  // A binary operator's text for this node (DuckDB's `//`, say). Default: op_text().
  std::function<std::string(const Expr&)> binary_operator;
  // Unary minus always as "- x". The default writes "-x", "- -x" and "-(5)", so that the text
  // parses back to the same tree ("-5" would read back as the literal).
  bool spaced_minus = false;
  // When set, every OVER clause orders its frame by this column, whatever its ORDER BY says.
  std::optional<std::string> frame_order_column;
  // When not empty, `SELECT *` is written as these columns.
  std::vector<std::string> star_columns;
  // The form a batch engine runs: no WINDOW, ALLOWED LATENESS or EMIT clause, and a tumbling
  // window is the GROUP BY key `t - (t % size_ms)`, t its time column, else event_time_column.
  bool batch = false;
  std::string event_time_column;
  // When set, called for each function call that has no OVER clause: a non-empty result is
  // written after the call as `OVER <result>` (a peer computing a running aggregate per row).
  std::function<std::string(const Expr&)> call_window;
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
};

// OVER (...): both the seeds' `ROWS WINDOW BUFFER n ROWS [PARTITION BY ..] [ORDER BY ..]` and the
// standard `[PARTITION BY ..] [ORDER BY ..] ROWS BETWEEN n PRECEDING AND CURRENT ROW`.
struct OverClause {
  SourcePos pos;
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  // Rows in the frame, the current one included: BUFFER 100 ROWS -> 100;
  // ROWS BETWEEN 99 PRECEDING AND CURRENT ROW -> 100.
  int64_t frame_rows = 0;
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  SourcePos pos;
  std::string name;  // Column: column name as written; Call: function name upper-cased
  Value literal;     // Literal
  UnaryOp unary_op = UnaryOp::Neg;
  BinaryOp binary_op = BinaryOp::Add;
  bool negated = false;  // IsNull: IS NOT NULL
  bool star = false;     // Call: COUNT(*)
  std::vector<ExprPtr> args;  // Unary: 1, Binary: 2, IsNull: 1, Call: the arguments
  std::unique_ptr<OverClause> over;  // Call: a window function when set

  // SQL text of the expression, for default column names and messages ("price * quantity").
  std::string to_sql(const SqlDialect& dialect = {}) const;
};

struct SelectItem {
  SourcePos pos;
  ExprPtr expr;       // null for `*`
  std::string alias;  // empty when none was given
  bool star = false;  // SELECT *
};

// WINDOW TUMBLING (time_column, INTERVAL 'n' SECOND|MINUTE|HOUR) or TUMBLING(1m).
struct TumblingWindow {
  SourcePos pos;
  std::optional<std::string> time_column;  // nullopt: the record's event timestamp
  SourcePos time_column_pos;
  int64_t size_ms = 0;
};

enum class EmitMode { Default, Changes, Final };

struct SelectStatement {
  std::vector<SelectItem> items;
  std::string from;
  SourcePos from_pos;
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
  std::optional<TumblingWindow> window;
  EmitMode emit = EmitMode::Default;
  // ALLOWED LATENESS INTERVAL 'n' unit: how far behind the largest event time a record may be
  // before its window is closed. Default 0.
  int64_t allowed_lateness_ms = 0;

  // The whole statement; in our dialect it parses back to the same statement.
  std::string to_sql(const SqlDialect& dialect = {}) const;
};

}  // namespace sg::ast

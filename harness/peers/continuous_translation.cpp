#include "harness/peers/continuous_translation.h"

namespace sg {
namespace {

// The window every aggregate runs over; a window name never clashes with a column.
constexpr const char* kGroupWindow = "sg_group";

std::string names(const ast::SqlDialect& d, const std::string& name) {
  return d.identifier ? d.identifier(name) : name;
}

}  // namespace

bool is_aggregate_call(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::Call || e.over) return false;
  return e.name == "COUNT" || e.name == "SUM" || e.name == "AVG" || e.name == "MIN" ||
         e.name == "MAX";
}

std::string continuous_query_sql(const ast::SelectStatement& s, ast::SqlDialect d,
                                 const std::string& seq_column,
                                 const std::string& event_time_column) {
  d.batch = false;
  d.call_window = [](const ast::Expr& e) {
    return is_aggregate_call(e) ? std::string(kGroupWindow) : std::string();
  };
  const std::string seq = names(d, seq_column);

  std::string partition;
  for (const ast::ExprPtr& key : s.group_by)
    partition += (partition.empty() ? "" : ", ") + key->to_sql(d);
  if (s.window) {
    const std::string t = names(d, s.window->time_column.value_or(event_time_column));
    partition += (partition.empty() ? "" : ", ") + t + " - (" + t + " % " +
                 std::to_string(s.window->size_ms) + ")";
  }
  const std::string window = std::string(" WINDOW ") + kGroupWindow + " AS (" +
                             (partition.empty() ? "" : "PARTITION BY " + partition + " ") +
                             "ORDER BY " + seq + " ROWS UNBOUNDED PRECEDING)";
  const std::string from_where =
      " FROM " + names(d, s.from) + (s.where ? " WHERE " + s.where->to_sql(d) : std::string());

  // `*` never appears: our planner rejects it in a grouping query (translate_for_peer checks).
  auto item_sql = [&d](const ast::SelectItem& item) { return item.expr->to_sql(d); };

  if (!s.having) {
    std::string out = "SELECT ";
    for (size_t i = 0; i < s.items.size(); ++i) {
      out += (i ? ", " : "") + item_sql(s.items[i]);
      if (!s.items[i].alias.empty()) out += " AS " + names(d, s.items[i].alias);
    }
    return out + from_where + window + " ORDER BY " + seq;
  }
  // The items as sg_c0.., the condition as sg_keep, beside the arrival order; the outer query
  // keeps the rows HAVING accepts (NULL rejects, as in our engine).
  std::string inner = "SELECT ", outer = "SELECT ";
  for (size_t i = 0; i < s.items.size(); ++i) {
    const std::string column = "sg_c" + std::to_string(i);
    inner += item_sql(s.items[i]) + " AS " + column + ", ";
    outer += (i ? ", " : "") + column;
    if (!s.items[i].alias.empty()) outer += " AS " + names(d, s.items[i].alias);
  }
  inner += "(" + s.having->to_sql(d) + ") AS sg_keep, " + seq + from_where + window;
  return outer + " FROM (" + inner + ") WHERE sg_keep ORDER BY " + seq;
}

}  // namespace sg

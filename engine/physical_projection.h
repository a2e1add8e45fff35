// The SELECT list: builds one output row from the current row's values in one allocation
// (RecordAppender). Outputs that are plain references (a column, a group key, an aggregate) are
// copied without evaluating an expression tree.
#pragma once

#include <vector>

#include "engine/expression.h"
#include "engine/record.h"

namespace sg {

class PhysicalProjection {
 public:
  // The expressions must outlive the projection.
  explicit PhysicalProjection(const std::vector<BoundExprPtr>& outputs);

  size_t width() const { return outputs_.size(); }

  RecordPtr project(const EvalRow& row, const RecordMeta& meta) const {
    RecordAppender builder(outputs_.size(), meta);
    const Output* const outputs = outputs_.data();
    const size_t n = outputs_.size();
    for (size_t i = 0; i < n; ++i) {
      const Output& o = outputs[i];
      switch (o.op) {
        case ExprOp::Column:
          builder.append(row.columns[o.index]);
          break;
        case ExprOp::Key:
          builder.append(row.keys[o.index]);
          break;
        case ExprOp::Aggregate:
          builder.append(row.aggregates[o.index]);
          break;
        default:
          builder.append(eval(*o.expr, row));
          break;
      }
    }
    return builder.build();
  }

 private:
  struct Output {
    ExprOp op;  // Column, Key or Aggregate: copy `index`; anything else: evaluate `expr`
    uint32_t index;
    const BoundExpr* expr;
  };
  std::vector<Output> outputs_;
};

}  // namespace sg

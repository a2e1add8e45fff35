// Evaluates the key of an input row (GROUP BY or PARTITION BY expressions) into pointers, so a
// key made of columns is looked up in place, without copying a value or touching a reference
// count. Computed keys are evaluated into scratch values that the evaluator owns.
#pragma once

#include <vector>

#include "engine/expression.h"
#include "engine/key_hash.h"

namespace sg {

class KeyEvaluator {
 public:
  // The expressions must outlive the evaluator.
  explicit KeyEvaluator(const std::vector<BoundExprPtr>& key)
      : pointers_(key.size()), scratch_(key.size()) {
    for (const BoundExprPtr& e : key) {
      parts_.push_back(Part{e->op == ExprOp::Column ? e->index : kComputed, e.get()});
    }
  }

  // Evaluates the key; returns its hash (the chain hash_key_exprs() and GroupTable use). The
  // values are at pointers() until the next call.
  [[gnu::always_inline]] uint64_t evaluate(const EvalRow& row) {
    uint64_t h = kKeyHashSeed;
    for (size_t i = 0; i < parts_.size(); ++i) {
      const Part& part = parts_[i];
      const Value* v = part.column != kComputed ? &row.columns[part.column]
                                                : &eval_ref(*part.expr, row, scratch_[i]);
      pointers_[i] = v;
      h = key_hash_add(h, *v);
    }
    return h;
  }
  const Value* const* pointers() const { return pointers_.data(); }

 private:
  static constexpr uint32_t kComputed = ~0u;
  struct Part {
    uint32_t column;  // kComputed: evaluate `expr`
    const BoundExpr* expr;
  };
  std::vector<Part> parts_;
  std::vector<const Value*> pointers_;
  std::vector<Value> scratch_;
};

}  // namespace sg

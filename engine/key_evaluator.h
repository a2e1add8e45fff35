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
      : key_(&key), pointers_(key.size()), scratch_(key.size()) {}

  // Evaluates the key; returns its hash (the chain hash_key_exprs() and GroupTable use). The
  // values are at pointers() until the next call.
  uint64_t evaluate(const EvalRow& row) {
    uint64_t h = kKeyHashSeed;
    for (size_t i = 0; i < pointers_.size(); ++i) {
      pointers_[i] = &eval_ref(*(*key_)[i], row, scratch_[i]);
      h = key_hash_add(h, *pointers_[i]);
    }
    return h;
  }
  const Value* const* pointers() const { return pointers_.data(); }

 private:
  const std::vector<BoundExprPtr>* key_;
  std::vector<const Value*> pointers_;
  std::vector<Value> scratch_;
};

}  // namespace sg

#include "harness/workload/injected_work.h"

#include <cstdint>

namespace sg {
namespace {

class InjectedWorkEngine final : public Engine {
 public:
  InjectedWorkEngine(std::unique_ptr<Engine> inner, unsigned rounds) : inner_(std::move(inner)), rounds_(rounds) {}

  void process(const RecordPtr& in, Batch& out) override {
    burn(1);
    inner_->process(in, out);
  }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    burn(in.size());
    inner_->process_batch(in, out);
  }
  void finish(Batch& out) override { inner_->finish(out); }
  EngineStats stats() const override { return inner_->stats(); }

 private:
  void burn(size_t records) {
    uint64_t x = state_;
    for (size_t i = 0; i < records * rounds_; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    // The empty asm with x as an input makes the loop's result observable to the compiler.
    asm volatile("" : : "r"(x) : "memory");
    state_ = x;
  }
  std::unique_ptr<Engine> inner_;
  unsigned rounds_;
  uint64_t state_ = 1;
};

}  // namespace

std::unique_ptr<Engine> with_injected_work(std::unique_ptr<Engine> inner, unsigned rounds_per_record) {
  if (rounds_per_record == 0) return inner;
  return std::make_unique<InjectedWorkEngine>(std::move(inner), rounds_per_record);
}

}  // namespace sg

// The sink of a timed pass: counts rows and keeps an OutputFingerprint (a small constant per
// row), so that every timed pass is checked without the full digest's cost inside its figure.
#pragma once

#include <cstdint>
#include <span>

#include "harness/job/data_writer.h"
#include "harness/job/output_fingerprint.h"

namespace sg {

// Implemented by writers that keep a fingerprint; a job merges them into RunResult::fingerprint.
class FingerprintSource {
 public:
  virtual ~FingerprintSource() = default;
  virtual OutputFingerprint fingerprint() const = 0;
};

class FingerprintWriter final : public DataWriter, public FingerprintSource {
 public:
  void write(std::span<const RecordPtr> rows) override {
    for (const RecordPtr& row : rows) fingerprint_.add(*row);
  }
  void commit() override { committed_ = fingerprint_.count; }
  uint64_t rows_written() const override { return fingerprint_.count; }
  uint64_t rows_committed() const override { return committed_; }
  OutputFingerprint fingerprint() const override { return fingerprint_; }

 private:
  OutputFingerprint fingerprint_;
  uint64_t committed_ = 0;
};

}  // namespace sg

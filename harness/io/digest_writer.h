// Writers that keep a Digest of what they were given, and the interface a job uses to collect
// digests from whatever writers a test or a fault-injection decorator put in its place.
#pragma once

#include <cstdint>
#include <span>

#include "harness/job/data_writer.h"
#include "harness/job/digest.h"

namespace sg {

// Implemented by writers that can say what they were written. A job merges the digests of all
// its writers into RunResult::digest; writers that are not DigestSources leave it empty.
class DigestSource {
 public:
  virtual ~DigestSource() = default;
  virtual Digest digest() const = 0;
};

// The default sink of a benchmark run: counts and fingerprints rows, keeps none of them.
class DigestWriter final : public DataWriter, public DigestSource {
 public:
  void write(std::span<const RecordPtr> rows) override;
  void commit() override { committed_ = digest_.count(); }
  uint64_t rows_written() const override { return digest_.count(); }
  uint64_t rows_committed() const override { return committed_; }
  Digest digest() const override { return digest_; }

 private:
  Digest digest_;
  uint64_t committed_ = 0;
};

}  // namespace sg

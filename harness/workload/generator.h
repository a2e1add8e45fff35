// A deterministic, seeded data generator: a declarative spec in, a Dataset out, built before any
// timing starts.
//
// Reproducible everywhere: record i is a pure function of (spec, i). Randomness comes from our
// own counter-based mixer (splitmix64 of seed, field and i), never from std::*_distribution,
// whose output differs between standard libraries. Record i can be generated without generating
// 0..i-1 first, so generation could be split across threads and still give the same records.
//
// The spec is plain data so that scenario files (TOML) map onto it field for field:
//
//   [[fields]]  name = "id"      type = "integer"   distribution = "sequence"  start = 1
//   [[fields]]  name = "symbol"  type = "string"    distribution = "pattern"   pattern =
//   "SYM{i%10}"
//   [[fields]]  name = "price"   type = "float"     distribution = "sine"      base = 100.0
//                                                   amplitude = 5.0  period = 1000  noise = 0.5
//   [[fields]]  name = "ts"      type = "timestamp" distribution = "timestamp" start_ms = 0
//                                                   spacing_ms = 10  disorder_ms = 50
//   event_time.field = "ts"
//
// Distributions (each uses only its own parameters; the others are ignored):
//   sequence   start + i*step                        INTEGER, FLOAT, TIMESTAMP
//   modulo     offset + i % modulus                  INTEGER, FLOAT, STRING (the number as text)
//   uniform    seeded uniform in [min, max]          INTEGER (inclusive), FLOAT ([min, max))
//   pattern    a string template, see below          STRING
//   sine       base + amplitude*sin(2*pi*i/period) + noise*u, u uniform in [-1, 1)
//                                                    FLOAT, INTEGER (rounded)
//   choice     one of `choices`, uniformly or by `weights`            any type the values have
//   timestamp  start_ms + i*spacing_ms - u, u uniform in [0, disorder_ms]   TIMESTAMP, INTEGER
// Any field may also be NULL with probability null_fraction (seeded, per record).
//
// Pattern templates: literal text with placeholders in braces.
//   {i}      the record index             {r}      a seeded random 63-bit number for this record
//   {i%N}    i modulo N                   {r%N}    the random number modulo N
//   {i/N}    i divided by N (integer)     {i/N%M}  operators apply left to right
//   {{ and }} are literal braces. N must be a positive integer.
//   "SYM{i%10}" gives SYM0..SYM9 in turn; "TRADER{r%20}" a random one of TRADER0..TRADER19.
//
// Distinctness: the seeds' generator emitted the same record over and over, which made every
// cache and branch predictor look perfect. Records here differ as long as one field does; a
// sequence field (or a timestamp with spacing) guarantees it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/record.h"
#include "engine/schema.h"
#include "engine/value.h"
#include "harness/job/dataset.h"

namespace sg {

struct FieldSpec {
  std::string name;
  Type type = Type::Integer;
  // "sequence", "modulo", "uniform", "pattern", "sine", "choice" or "timestamp".
  std::string distribution = "sequence";

  double start = 0;             // sequence
  double step = 1;              // sequence
  int64_t modulus = 1;          // modulo
  int64_t offset = 0;           // modulo
  double min = 0;               // uniform
  double max = 1;               // uniform
  std::string pattern;          // pattern
  double base = 0;              // sine
  double amplitude = 1;         // sine
  double period = 100;          // sine, in records
  double noise = 0;             // sine: half-width of the seeded noise added
  std::vector<Value> choices;   // choice: INTEGER values are accepted for a FLOAT field
  std::vector<double> weights;  // choice: empty = uniform, else one non-negative weight per choice
  int64_t start_ms = 0;         // timestamp
  int64_t spacing_ms = 1;       // timestamp
  int64_t disorder_ms = 0;      // timestamp: each time is pulled back by up to this much

  double null_fraction = 0;  // probability in [0, 1] that the value is NULL
};

// Where RecordMeta::event_time comes from: the value of a field with the timestamp distribution
// (`field`, which must then have no NULLs), or, when `field` is empty, its own timestamp stream
// with the same meaning as the timestamp distribution's parameters.
struct TimeSpec {
  std::string field;
  int64_t start_ms = 0;
  int64_t spacing_ms = 1;
  int64_t disorder_ms = 0;
};

struct GeneratorSpec {
  uint64_t seed = 0;
  std::vector<FieldSpec> fields;
  TimeSpec event_time;
};

class FieldGenerator;  // harness/workload/generator_field.h

class Generator {
 public:
  // Validates the spec: throws std::invalid_argument naming the field for an unknown
  // distribution, a type the distribution cannot produce, min > max, a bad pattern, a choice of
  // the wrong type, a null_fraction outside [0, 1], and so on.
  explicit Generator(GeneratorSpec spec);
  ~Generator();
  Generator(Generator&&) noexcept;
  Generator& operator=(Generator&&) noexcept;

  const Schema& schema() const { return schema_; }
  const GeneratorSpec& spec() const { return spec_; }

  // Record `index` of the stream (RecordMeta::offset = index).
  RecordPtr record(uint64_t index) const;
  // Appends records [first, first + count) to `out`.
  void generate(uint64_t first, uint64_t count, Batch& out) const;
  // The first n records as a Dataset.
  Dataset dataset(uint64_t n) const;

 private:
  GeneratorSpec spec_;
  Schema schema_;
  std::vector<std::unique_ptr<FieldGenerator>> fields_;
  int event_time_field_ = -1;  // index into fields_, or -1 for the TimeSpec's own stream
};

// Shorthand for Generator(spec).dataset(n).
Dataset generate_dataset(const GeneratorSpec& spec, uint64_t n);

}  // namespace sg

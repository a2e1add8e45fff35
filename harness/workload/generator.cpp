#include "harness/workload/generator.h"

#include <stdexcept>

#include <fmt/format.h>

#include "harness/workload/generator_field.h"

namespace sg {

namespace {
// The event time's own stream takes a field index no field has.
constexpr uint64_t kEventTimeStreamIndex = 0xffffff;
}  // namespace

Generator::Generator(GeneratorSpec spec) : spec_(std::move(spec)) {
  if (spec_.fields.empty()) throw std::invalid_argument("generator spec has no fields");
  for (size_t k = 0; k < spec_.fields.size(); ++k) {
    const FieldSpec& f = spec_.fields[k];
    fields_.push_back(FieldGenerator::make(f, spec_.seed, k));
    if (schema_.index_of(f.name)) {
      throw std::invalid_argument(fmt::format("generator field '{}': duplicate name", f.name));
    }
    schema_.add(f.name, f.type);
  }
  const TimeSpec& t = spec_.event_time;
  if (!t.field.empty()) {
    auto index = schema_.index_of(t.field);
    if (!index) {
      throw std::invalid_argument(
          fmt::format("event_time.field '{}' is not a generated field "
                      "(fields: {})",
                      t.field, schema_.names()));
    }
    const FieldSpec& f = spec_.fields[*index];
    if (f.type != Type::Timestamp && f.type != Type::Integer) {
      throw std::invalid_argument(
          fmt::format("event_time.field '{}' is {}; it must be TIMESTAMP or INTEGER", f.name,
                      type_name(f.type)));
    }
    if (f.null_fraction > 0) {
      throw std::invalid_argument(
          fmt::format("event_time.field '{}' has null_fraction {}; event times cannot be NULL",
                      f.name, f.null_fraction));
    }
    event_time_field_ = static_cast<int>(*index);
  } else if (t.spacing_ms < 0 || t.disorder_ms < 0) {
    throw std::invalid_argument(
        fmt::format("event_time: spacing_ms = {} and disorder_ms = {} must not be negative",
                    t.spacing_ms, t.disorder_ms));
  }
}

Generator::~Generator() = default;
Generator::Generator(Generator&&) noexcept = default;
Generator& Generator::operator=(Generator&&) noexcept = default;

RecordPtr Generator::record(uint64_t index) const {
  RecordMeta meta;
  meta.offset = static_cast<int64_t>(index);
  RecordBuilder builder(fields_.size(), meta);
  for (size_t k = 0; k < fields_.size(); ++k) builder[k] = fields_[k]->at(index);
  if (event_time_field_ >= 0) {
    builder.meta().event_time = builder[static_cast<size_t>(event_time_field_)].as_int();
  } else {
    const TimeSpec& t = spec_.event_time;
    builder.meta().event_time =
        disordered_time(t.start_ms, t.spacing_ms, t.disorder_ms,
                        stream_key(spec_.seed, kEventTimeStreamIndex, 1), index);
  }
  return builder.build();
}

void Generator::generate(uint64_t first, uint64_t count, Batch& out) const {
  out.reserve(out.size() + count);
  for (uint64_t i = first; i < first + count; ++i) out.push_back(record(i));
}

Dataset Generator::dataset(uint64_t n) const {
  Dataset d;
  d.schema = schema_;
  generate(0, n, d.records);
  return d;
}

Dataset generate_dataset(const GeneratorSpec& spec, uint64_t n) {
  return Generator(spec).dataset(n);
}

}  // namespace sg

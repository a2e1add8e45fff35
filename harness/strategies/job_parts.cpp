#include "harness/strategies/job_parts.h"

#include <cassert>
#include <stdexcept>

#include "harness/io/digest_writer.h"
#include "harness/io/empty_reads_end_reader.h"
#include "harness/io/fingerprint_writer.h"
#include "harness/strategies/source_readers.h"

namespace sg {

Partitioning job_partitioning(const JobConfig& config, const JobInputs& inputs) {
  if (config.engine == EngineKind::Passthrough || !inputs.query) return Partitioning::Any;
  return inputs.query->partitioning();
}

ReaderFactory memory_reader_factory(SharedDataset dataset, Partitioning partitioning,
                                    std::shared_ptr<const CompiledQuery> query) {
  return source_reader_factory(SourceKind::Lent, std::move(dataset), partitioning,
                               std::move(query));
}

ReaderFactory job_reader_factory(const JobConfig& config, const JobInputs& inputs) {
  ReaderFactory readers = inputs.make_reader;
  if (!readers) {
    if (!inputs.dataset) throw std::invalid_argument("the job has neither a dataset nor readers");
    readers = source_reader_factory(config.source, inputs.dataset,
                                    job_partitioning(config, inputs), inputs.query);
  }
  if (config.end_by_empty_reads)
    return end_by_empty_reads(std::move(readers), *config.end_by_empty_reads);
  return readers;
}

std::unique_ptr<DataWriter> make_job_writer(const JobInputs& inputs, int partition) {
  if (inputs.make_writer) return inputs.make_writer(partition);
  return std::make_unique<DigestWriter>();
}

std::unique_ptr<Engine> make_job_engine(const JobConfig& config, const JobInputs& inputs,
                                        int partition) {
  std::unique_ptr<Engine> engine;
  if (config.engine == EngineKind::Passthrough) {
    engine = make_passthrough_engine();
  } else {
    assert(inputs.query && "Strategy::unsupported() rejects sql runs without a query");
    engine = inputs.query->instantiate();
  }
  if (inputs.wrap_engine) engine = inputs.wrap_engine(std::move(engine), partition);
  return engine;
}

void collect_writer(const DataWriter& writer, RunResult& result) {
  result.rows_written += writer.rows_written();
  result.rows_committed += writer.rows_committed();
  if (const auto* source = dynamic_cast<const DigestSource*>(&writer))
    result.digest.merge(source->digest());
  if (const auto* source = dynamic_cast<const FingerprintSource*>(&writer))
    result.fingerprint.merge(source->fingerprint());
}

void collect_reader(const DataReader& reader, RunResult& result) {
  result.records_read += reader.records_read();
  result.records_committed += reader.records_committed();
}

void collect_engine(const Engine& engine, RunResult& result) {
  collect_engine(engine.stats(), result);
}

void collect_engine(const EngineStats& s, RunResult& result) {
  result.engine.records_in += s.records_in;
  result.engine.records_out += s.records_out;
  result.engine.late_records += s.late_records;
}

}  // namespace sg

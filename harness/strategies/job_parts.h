// The parts every strategy assembles a job from, made the same way for all of them: readers
// (default: memory readers over the dataset, split by the query's partitioning), writers
// (default: DigestWriter), engines (instantiate() or passthrough, then the test's wrapper), and
// the bookkeeping that turns them back into a RunResult.
#pragma once

#include <memory>
#include <vector>

#include "harness/job/job.h"

namespace sg {

// How the job may be split: Any for passthrough (stateless), else the query's.
Partitioning job_partitioning(const JobConfig& config, const JobInputs& inputs);

// Memory readers over `dataset` that lend their records: source_reader_factory(SourceKind::Lent,
// ...) (source_readers.h says how the split is made, once, on the first call).
ReaderFactory memory_reader_factory(SharedDataset dataset, Partitioning partitioning,
                                    std::shared_ptr<const CompiledQuery> query);

// inputs.make_reader, or source_reader_factory(config.source) over inputs.dataset; each reader
// wrapped in an EmptyReadsEndReader when config.end_by_empty_reads is set.
ReaderFactory job_reader_factory(const JobConfig& config, const JobInputs& inputs);
std::unique_ptr<DataWriter> make_job_writer(const JobInputs& inputs, int partition);
std::unique_ptr<Engine> make_job_engine(const JobConfig& config, const JobInputs& inputs,
                                        int partition);

// Adds a writer's counts and (if it is a DigestSource) its digest to the result.
void collect_writer(const DataWriter& writer, RunResult& result);
void collect_reader(const DataReader& reader, RunResult& result);
void collect_engine(const Engine& engine, RunResult& result);
// The same, from stats taken before the engine was freed (a stream's, result_stream.h).
void collect_engine(const EngineStats& stats, RunResult& result);

}  // namespace sg

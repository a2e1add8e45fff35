// Decorators that make a job fail (or slow down) at a chosen point, so tests can check that
// every strategy stops every thread, reports the error, and counts exactly what it committed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "engine/engine.h"
#include "harness/job/data_reader.h"
#include "harness/job/data_writer.h"
#include "harness/job/job.h"

namespace sg {

// Throws SourceError on read call number `fail_at_batch` (0-based); reads before it pass through.
std::unique_ptr<DataReader> make_failing_reader(std::unique_ptr<DataReader> inner,
                                                uint64_t fail_at_batch);
// Throws SinkError on write call number `fail_at_batch` (0-based), before writing anything of it.
std::unique_ptr<DataWriter> make_failing_writer(std::unique_ptr<DataWriter> inner,
                                                uint64_t fail_at_batch);
// Sleeps `per_batch` in every write: a slow sink, for backpressure and bounded-memory tests.
std::unique_ptr<DataWriter> make_slow_writer(std::unique_ptr<DataWriter> inner,
                                             std::chrono::microseconds per_batch);
// Throws EngineError when asked to process its record number `fail_at_record` (0-based, counted
// by this engine); records before it are processed.
std::unique_ptr<Engine> make_failing_engine(std::unique_ptr<Engine> inner, uint64_t fail_at_record);

// Factory decorators for JobInputs. `partition` < 0 means every partition.
ReaderFactory fail_reader_at(ReaderFactory base, uint64_t batch, int partition = -1);
WriterFactory fail_writer_at(WriterFactory base, uint64_t batch, int partition = -1);
WriterFactory slow_writer(WriterFactory base, std::chrono::microseconds per_batch);
EngineWrapper fail_engine_at(uint64_t record, int partition = -1);

// The default writer factory (a DigestWriter per call), to decorate.
WriterFactory digest_writer_factory();

}  // namespace sg

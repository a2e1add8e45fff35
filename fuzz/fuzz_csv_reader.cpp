// libFuzzer target: any bytes as a CSV file through CsvReader, under both on-error policies,
// with tiny and normal buffers. Acceptable: records whose counts add up, or a SourceError that
// names the file. Seeds: tests/harness/fuzz_corpus/csv. Run with scripts/fuzz.
#include <cstddef>
#include <cstdint>

#include "harness/io/csv_reader.h"
#include "reader_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const sg::fuzz::FuzzInput in = sg::fuzz::split_input(data, size);
  const sg::fuzz::MemoryFile file(in.file);
  try {
    sg::CsvReader reader(file.path(), in.options);
    sg::fuzz::drain(reader, in.batch);
  } catch (const sg::SourceError& e) {
    sg::fuzz::check_source_error(e, file.path());
  }
  return 0;
}

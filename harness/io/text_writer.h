// The part the CSV and JSONL writers share: counting rows, committing, and publishing the file
// (harness/io/output_file.h) once the job is done.
//
// The contract with a job: commit() pushes the rows written so far out of memory (they count in
// rows_committed()), close() publishes the output under its name. A writer destroyed without
// close() leaves no output file behind, so whoever owns the writer calls close() after a
// successful run, and only then.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>

#include "engine/schema.h"
#include "harness/io/output_file.h"
#include "harness/job/data_writer.h"

namespace sg {

class TextWriter : public DataWriter {
 public:
  void write(std::span<const RecordPtr> rows) override;
  void flush() override { out_.flush(); }
  void commit() override;
  // Commits, then publishes the file under its name (for a stream: flushes it). Throws SinkError.
  void close();
  uint64_t rows_written() const override { return written_; }
  uint64_t rows_committed() const override { return committed_; }
  const Schema& schema() const { return schema_; }
  const std::string& path() const { return out_.path(); }

 protected:
  TextWriter(Schema schema, std::string path) : schema_(std::move(schema)), out_(std::move(path)) {}
  TextWriter(Schema schema, std::ostream& stream, std::string name)
      : schema_(std::move(schema)), out_(stream, std::move(name)) {}
  // Appends one row, already checked to have schema().size() values, to `text`.
  virtual void append_row(const Record& row, std::string& text) = 0;
  std::string& buffer() { return out_.buffer(); }

 private:
  Schema schema_;
  OutputFile out_;
  uint64_t written_ = 0;
  uint64_t committed_ = 0;
};

}  // namespace sg

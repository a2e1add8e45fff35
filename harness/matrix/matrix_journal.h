// A matrix's journal: one JSON line per finished pass, appended and flushed as the pass ends, in
// a file beside the result, so that an interrupted or killed run loses at most the pass in
// progress, and `--resume JOURNAL` continues where it stopped.
//
// Why a line per pass and not per cell: the timed repetitions are interleaved (every cell once,
// then again), so a cell is finished only in the last round; journaling finished cells would keep
// nothing of a run stopped before its last round. A resumed run restores each cell's journaled
// passes (exactly: harness/matrix/sample_json.h) and runs only the passes missing, in the same
// shuffled order, so it ends with the same cells, the same ids and, per cell, the same number of
// repetitions as a run never stopped; its samples then come from two processes, and the result
// says how many were restored.
//
// The file: a header line (format, matrix, repetitions, warm-up, result path, every cell id in
// order), then one line per pass: {"cell", "kind", "repetition" (from 0 within its kind),
// "status", "sample" or "reason", "peer" (the SQL a peer ran)}. Kinds (pass_schedule.h):
// "timed" (a cell timed alone), "pair" (a cell's timed pass in a pair with its baseline, with
// "baseline_ns", "spent_s" and, when probed, "line_round_trip_ns": the schedule resumes with
// every pair it had), "instrumented", and
// "checked" (journaled only when it fails the cell). A torn last line (a process killed
// mid-write) is ignored; any other bad line is an error naming the file and line.
#pragma once

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/matrix/matrix_result.h"
#include "harness/matrix/pass_schedule.h"
#include "harness/matrix/sample_json.h"

namespace sg {

struct JournalContents {
  std::filesystem::path file;
  nlohmann::json header;
  std::vector<nlohmann::json> passes;
  bool torn_last_line = false;
  std::uintmax_t complete_bytes = 0;  // the file up to the end of its last whole line
};

// Throws ConfigError naming the file (and line) when it is not a matrix journal.
JournalContents read_journal(const std::filesystem::path& file);

// The journal a run appends to; the file is created (or, resuming, reopened) by open(), before
// any data is generated, so a path that cannot be written stops the run at once.
class MatrixJournal {
 public:
  // Throws std::runtime_error naming the file when it cannot be opened for writing.
  static std::unique_ptr<MatrixJournal> open(const std::filesystem::path& file, bool append);
  // Reopens a journal read by read_journal() to append to it, cutting a torn last line first
  // (appending after it would join the two into one bad line).
  static std::unique_ptr<MatrixJournal> reopen(const JournalContents& contents);
  const std::filesystem::path& file() const { return file_; }
  // Appends one line and flushes it. False when the write failed (the run goes on: its result
  // is still written at the end).
  bool append(const nlohmann::json& line);

 private:
  MatrixJournal(std::filesystem::path file, std::ofstream out)
      : file_(std::move(file)), out_(std::move(out)) {}
  std::filesystem::path file_;
  std::ofstream out_;
};

// The output a cell's every counted pass reproduces (the reference; none for a peer).
using ExpectedOutputOf = std::function<ExpectedOutput(const CellResult&)>;

// What the runner asks between passes: which passes an earlier run already did, and where each
// finished pass goes. Without a journal and without a resume, it does nothing.
class PassLedger {
 public:
  PassLedger(MatrixJournal* journal, const JournalContents* resume, std::ostream* log)
      : journal_(journal), resume_(resume), log_(log) {}

  // Checks that the resumed journal was written by this matrix (same cells in the same order,
  // same repetitions and warm-up) and restores its passes into `result` (samples, instrumented
  // passes, pairs); then writes the header of a fresh journal. Throws ConfigError naming the
  // journal when it does not fit.
  void begin(MatrixResult& result, const std::string& result_path, const ExpectedOutputOf& expected);
  // The passes of this cell an earlier run did (pass_schedule.h skips them).
  RestoredPasses restored(const CellResult& c) const;
  size_t restored_passes() const { return restored_count_; }
  // Appends a finished pass (a checked pass only when it failed the cell).
  void record(const PassDone& pass);
  // Appends a finished pair: the cell's timed pass, its baseline's time, the pair's seconds and
  // the cross-core probe before it (0: none).
  void record_pair(const CellResult& c, int pair, const RunResult& cell_run, double baseline_ns,
                   double spent_s, double line_rt_ns = 0);
  // After the last pass: when stopped, every cell short of its repetitions becomes NotRun and the
  // result is marked interrupted by `stop_signal` (not when every cell had finished).
  void finish(MatrixResult& result, int stop_signal) const;

 private:
  void append(const CellResult& c, nlohmann::json line);
  MatrixJournal* journal_;
  const JournalContents* resume_;
  std::ostream* log_;
  std::map<std::string, RestoredPasses> restored_;
  size_t restored_count_ = 0;
  bool write_failed_ = false;
};

}  // namespace sg

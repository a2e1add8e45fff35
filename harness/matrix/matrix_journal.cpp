#include "harness/matrix/matrix_journal.h"

#include <csignal>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "harness/matrix/sample_json.h"

namespace sg {

namespace {

constexpr const char* kFormat = "streamgauge-matrix-journal/2";

std::vector<std::string> cell_ids(const MatrixResult& r) {
  std::vector<std::string> ids;
  for (const CellResult& c : r.cells) ids.push_back(c.cell.id());
  return ids;
}

// The journal must come from this very matrix, or its passes would land in other cells.
void check_same_matrix(const JournalContents& j, const MatrixResult& r) {
  auto bad = [&](const std::string& why) {
    return ConfigError(
        fmt::format("{}: written by another matrix than this one: {}", j.file.string(), why));
  };
  const nlohmann::json& h = j.header;
  if (h.value("repetitions", -1) != r.spec.repetitions || h.value("warmup", -1) != r.spec.warmup)
    throw bad(fmt::format("{} repetitions after {} warm-up, this run {} after {}",
                          h.value("repetitions", -1), h.value("warmup", -1), r.spec.repetitions,
                          r.spec.warmup));
  const std::vector<std::string> ids = cell_ids(r);
  const auto theirs = h.value("cells", std::vector<std::string>{});
  for (size_t i = 0; i < std::max(ids.size(), theirs.size()); ++i) {
    const std::string a = i < theirs.size() ? theirs[i] : "(none)";
    const std::string b = i < ids.size() ? ids[i] : "(none)";
    if (a != b) throw bad(fmt::format("cell {} is {} there, {} here", i + 1, a, b));
  }
}

CellStatus status_named(const std::string& s) {
  if (s == "ok") return CellStatus::Ok;
  if (s == "skipped") return CellStatus::Skipped;
  if (s == "failed") return CellStatus::Failed;
  throw std::runtime_error("unknown status '" + s + "'");
}

}  // namespace

JournalContents read_journal(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot open the journal");
  JournalContents out;
  out.file = file;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const bool last = in.peek() == std::char_traits<char>::eof();
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      // A process killed while writing leaves its last line torn (no newline): that pass is lost.
      if (last && number > 1 && in.eof()) {
        out.torn_last_line = true;
        break;
      }
      throw ConfigError(fmt::format("{}:{}: not a JSON object", file.string(), number));
    }
    out.complete_bytes += line.size() + 1;
    if (number == 1) {
      if (j.value("journal", "") != kFormat)
        throw ConfigError(
            fmt::format("{}:1: not a streamgauge matrix journal (no \"journal\": "
                        "\"{}\")",
                        file.string(), kFormat));
      out.header = std::move(j);
    } else {
      if (!j.contains("cell") || !j.contains("repetition") || !j.contains("status"))
        throw ConfigError(
            fmt::format("{}:{}: a pass needs cell, repetition and status", file.string(), number));
      out.passes.push_back(std::move(j));
    }
  }
  if (number == 0) throw ConfigError(file.string() + ": the journal is empty");
  return out;
}

std::unique_ptr<MatrixJournal> MatrixJournal::open(const std::filesystem::path& file, bool append) {
  std::ofstream out(file, append ? std::ios::app : std::ios::trunc);
  if (!out) throw std::runtime_error(file.string() + ": cannot open the journal for writing");
  return std::unique_ptr<MatrixJournal>(new MatrixJournal(file, std::move(out)));
}

std::unique_ptr<MatrixJournal> MatrixJournal::reopen(const JournalContents& contents) {
  if (contents.torn_last_line) std::filesystem::resize_file(contents.file, contents.complete_bytes);
  return open(contents.file, true);
}

bool MatrixJournal::append(const nlohmann::json& line) {
  out_ << line.dump() << '\n';
  out_.flush();
  return static_cast<bool>(out_);
}

void PassLedger::begin(MatrixResult& result, const std::string& result_path,
                       const ExpectedOutputOf& expected) {
  if (resume_) {
    check_same_matrix(*resume_, result);
    std::map<std::string, CellResult*> by_id;
    for (CellResult& c : result.cells) by_id[c.cell.id()] = &c;
    size_t line = 1;
    for (const nlohmann::json& p : resume_->passes) {
      ++line;
      auto where = [&](const std::string& why) {
        return ConfigError(fmt::format("{}:{}: {}", resume_->file.string(), line, why));
      };
      auto it = by_id.find(p.at("cell").get<std::string>());
      if (it == by_id.end()) throw where("no cell " + p.at("cell").dump() + " in this matrix");
      CellResult& c = *it->second;
      RestoredPasses& done = restored_[c.cell.id()];
      const int rep = p.at("repetition").get<int>();
      const std::string kind = p.value("kind", "");
      CellStatus status;
      try {
        status = status_named(p.at("status").get<std::string>());
      } catch (const std::exception& e) {
        throw where(e.what());
      }
      if (p.contains("peer")) {
        c.peer_sql = p["peer"].value("sql", "");
        c.peer_timed = p["peer"].value("timed", "");
        c.peer_check = p["peer"].value("check", "");
        c.peer_mode = p["peer"].value("mode", "");
        c.peer_work = p["peer"].value("work", "");
      }
      if (status != CellStatus::Ok) {
        c.status = status;
        c.reason = p.value("reason", "");
        c.samples.clear();
        c.instrumented.clear();
        done = {};
        continue;
      }
      const bool instrumented = kind == "instrumented";
      if (!instrumented && kind != "timed" && kind != "pair")
        throw where("unknown kind of pass " + p.value("kind", std::string("(none)")));
      const size_t have = instrumented ? done.instrumented : c.samples.size();
      if (rep != static_cast<int>(have))
        throw where(fmt::format("{} pass {} of {} follows {} restored ones", kind, rep + 1,
                                c.cell.id(), have));
      RunResult r;
      try {
        r = run_result_from_json(p.at("sample"), expected(c));
      } catch (const std::exception& e) {
        throw where(fmt::format("{} {} pass {}: {}", c.cell.id(), kind, rep + 1, e.what()));
      }
      if (instrumented) {
        c.instrumented.push_back(std::move(r));
        ++done.instrumented;
      } else {
        if (kind == "pair") {
          try {
            done.pairs.push_back({double(r.wall_ns), p.at("baseline_ns").get<double>(),
                                  p.at("spent_s").get<double>(),
                                  p.value("line_round_trip_ns", 0.0)});
          } catch (const nlohmann::json::exception& e) {
            throw where(fmt::format("{} pair {}: {}", c.cell.id(), rep + 1, e.what()));
          }
        } else
          ++done.timed;
        c.samples.push_back(std::move(r));
      }
      ++restored_count_;
    }
    result.restored_passes = restored_count_;
    result.journal = resume_->file.string();
    if (log_)
      fmt::print(*log_, "[matrix] resuming from {}: {} passes restored\n", resume_->file.string(),
                 restored_count_);
  }
  if (!journal_) return;
  result.journal = journal_->file().string();
  if (resume_) return;  // the header is there already
  journal_->append({{"journal", kFormat},
                    {"matrix", result.spec.name},
                    {"file", result.spec.file.string()},
                    {"quick", result.spec.quick},
                    {"repetitions", result.spec.repetitions},
                    {"warmup", result.spec.warmup},
                    {"result", result_path},
                    {"cells", cell_ids(result)}});
}

RestoredPasses PassLedger::restored(const CellResult& c) const {
  auto it = restored_.find(c.cell.id());
  return it == restored_.end() ? RestoredPasses{} : it->second;
}

void PassLedger::append(const CellResult& c, nlohmann::json line) {
  if (c.cell.is_peer())
    line["peer"] = {{"sql", c.peer_sql},
                    {"timed", c.peer_timed},
                    {"check", c.peer_check},
                    {"mode", c.peer_mode},
                    {"work", c.peer_work}};
  if (!journal_->append(line) && !write_failed_) {
    write_failed_ = true;
    if (log_)
      fmt::print(*log_, "[matrix] warning: cannot append to {}; the run goes on, unjournaled\n",
                 journal_->file().string());
  }
}

void PassLedger::record(const PassDone& pass) {
  const bool ok = pass.verdict->status == CellStatus::Ok;
  // Checked passes and a pair's halves are journaled only when they fail the cell; a pair that
  // counts is journaled whole by record_pair.
  if (!journal_ || (ok && (pass.kind == PassKind::Checked || pass.in_pair))) return;
  const CellResult& c = *pass.cell->result;
  nlohmann::json line = {{"cell", c.cell.id()},
                         {"kind", pass_kind_name(pass.kind)},
                         {"repetition", pass.repetition},
                         {"status", cell_status_name(pass.verdict->status)}};
  if (ok && pass.sample) {
    line["sample"] = pass.sample->to_json();
  } else {
    line["reason"] = pass.verdict->reason;
  }
  append(c, std::move(line));
}

void PassLedger::record_pair(const CellResult& c, int pair, const RunResult& cell_run,
                             double baseline_ns, double spent_s, double line_rt_ns) {
  if (!journal_) return;
  nlohmann::json line = {{"cell", c.cell.id()},
                         {"kind", "pair"},
                         {"repetition", pair},
                         {"status", "ok"},
                         {"sample", cell_run.to_json()},
                         {"baseline_ns", baseline_ns},
                         {"spent_s", spent_s}};
  if (line_rt_ns > 0) line["line_round_trip_ns"] = line_rt_ns;
  append(c, std::move(line));
}

void PassLedger::finish(MatrixResult& result, int stop_signal) const {
  if (!stop_signal) return;
  for (CellResult& c : result.cells) {
    if (c.status != CellStatus::Ok) continue;
    if (c.samples.size() >= static_cast<size_t>(result.spec.repetitions)) continue;
    result.interrupted_by = stop_signal;  // a stop after the last pass interrupted nothing
    c.reason = fmt::format("not run: interrupted after {} of {} timed repetitions{}",
                           c.samples.size(), result.spec.repetitions,
                           result.journal.empty() ? "" : " (the journal keeps them)");
    c.status = CellStatus::NotRun;
    c.samples.clear();
    c.instrumented.clear();
    c.paired.reset();
  }
}

}  // namespace sg

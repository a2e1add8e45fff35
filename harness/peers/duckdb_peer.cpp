// The duckdb peer: DuckDB from the npm package @duckdb/node-api, driven as a subprocess
// (`node tools/duckdb/run_query.mjs`, JSON lines over stdin/stdout), one thread.
//
// Untimed, once per dataset: the data written to a CSV file in a temporary folder, node started,
// the file loaded into an in-memory table with read_csv and explicit types. Timed, per pass:
// DuckDB's own clock inside the node process around the query and the fetch of every result
// chunk; the rows then come back through a JSON lines file (untimed) to be checked.
//
// Unavailable (a skip, with the reason) when node or the package is missing, or when node
// cannot start DuckDB. Where to look: $STREAMGAUGE_NODE (else `node`/`nodejs` on PATH) and
// $STREAMGAUGE_DUCKDB_DIR (else tools/duckdb in the working directory or the source tree).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <list>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "harness/peers/peer_support.h"
#include "harness/workload/scenario.h"

extern char** environ;

namespace sg {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr int kStartTimeoutMs = 60'000;
constexpr int kRequestTimeoutMs = 600'000;
constexpr int kIdleLimitMs = 5'000;  // the longest wait for node to go quiet after a query

// Something went wrong: `unavailable` when the peer cannot run here at all.
struct DuckDbFailure {
  std::string message;
  bool unavailable = false;
};

// A path we cannot look at (a folder without permission, a symlink loop, a name too long) is
// not an executable: the error_code overload reports it instead of throwing.
bool is_executable(const fs::path& p) {
  std::error_code unreadable;
  return fs::is_regular_file(p, unreadable) && access(p.c_str(), X_OK) == 0;
}

bool is_file(const fs::path& p) {
  std::error_code unreadable;
  return fs::is_regular_file(p, unreadable);
}

// The node binary, or a failure saying where we looked.
fs::path find_node() {
  if (const char* env = std::getenv("STREAMGAUGE_NODE")) {
    if (is_executable(env)) return env;
    throw DuckDbFailure{fmt::format("duckdb peer: node not found (STREAMGAUGE_NODE={} is not an "
                                    "executable file)",
                                    env),
                        true};
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  for (const char* name : {"node", "nodejs"}) {
    for (size_t begin = 0; begin <= dirs.size();) {
      size_t end = dirs.find(':', begin);
      if (end == std::string_view::npos) end = dirs.size();
      const fs::path candidate = fs::path(std::string(dirs.substr(begin, end - begin))) / name;
      if (end > begin && is_executable(candidate)) return candidate;
      begin = end + 1;
    }
  }
  throw DuckDbFailure{"duckdb peer: node not found (install Node.js, then run scripts/setup)",
                      true};
}

fs::path tools_dir() {
  if (const char* env = std::getenv("STREAMGAUGE_DUCKDB_DIR")) return env;
  if (is_file("tools/duckdb/run_query.mjs")) return "tools/duckdb";
  // default_scenario_dir() finds the source tree's scenarios/ from a build folder too.
  return default_scenario_dir().parent_path() / "tools" / "duckdb";
}

fs::path find_driver() {
  const fs::path dir = tools_dir();
  if (!is_file(dir / "node_modules" / "@duckdb" / "node-api" / "package.json")) {
    throw DuckDbFailure{fmt::format("duckdb peer: @duckdb/node-api not installed in {} (run "
                                    "scripts/setup)",
                                    (dir / "node_modules").string()),
                        true};
  }
  if (!is_file(dir / "run_query.mjs")) {
    throw DuckDbFailure{fmt::format("duckdb peer: {} is missing", (dir / "run_query.mjs").string()),
                        true};
  }
  return dir / "run_query.mjs";
}

// ---------------------------------------------------------------------------------------------
// The data as CSV, read back by DuckDB with explicit types.

const char* duckdb_type(Type t) {
  switch (t) {
    case Type::Float:
      return "DOUBLE";
    case Type::String:
      return "VARCHAR";
    case Type::Boolean:
      return "BOOLEAN";
    default:
      return "BIGINT";  // INTEGER and TIMESTAMP (ms, so that bucket arithmetic stays integral)
  }
}

constexpr std::string_view kNullText = "\\N";  // unquoted; a quoted "\N" stays a string

void append_csv(std::string& out, const Value& v) {
  char buf[40];
  switch (v.type()) {
    case Type::Null:
      out += kNullText;
      break;
    case Type::Integer:
    case Type::Timestamp:
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.as_int()).ptr);
      break;
    case Type::Float:  // shortest text that reads back as the same double
      out.append(buf, std::to_chars(buf, buf + sizeof buf, v.as_float()).ptr);
      break;
    case Type::Boolean:
      out += v.as_bool() ? "true" : "false";
      break;
    case Type::String:
      out += '"';
      for (char c : v.as_string()) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
      break;
  }
}

void write_csv(const fs::path& file, const Schema& schema, const PeerExtraColumns& extra,
               const Dataset& data) {
  std::ofstream out(file, std::ios::binary);
  std::string buf;
  for (size_t i = 0; i < schema.size(); ++i) buf += schema[i].name + ",";
  buf += extra.seq + "," + extra.event_time + "\n";
  for (const RecordPtr& r : data.records) {
    if (r->size() != schema.size()) {
      throw DuckDbFailure{fmt::format(
          "duckdb peer: record at offset {} has {} fields, the query's input schema {} ({})",
          r->offset(), r->size(), schema.size(), schema.to_string())};
    }
    for (size_t i = 0; i < r->size(); ++i) {
      append_csv(buf, (*r)[i]);
      buf += ',';
    }
    buf += std::to_string(r->offset()) + "," + std::to_string(r->event_time()) + "\n";
    if (buf.size() > (1u << 20)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  if (!out.flush()) throw DuckDbFailure{"duckdb peer: cannot write " + file.string()};
}

std::string sql_string(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string load_sql(const std::string& table, const Schema& schema, const PeerExtraColumns& extra,
                     const fs::path& csv) {
  std::string columns = "{";
  for (size_t i = 0; i < schema.size(); ++i)
    columns += sql_string(schema[i].name) + ": '" + duckdb_type(schema[i].type) + "', ";
  columns += sql_string(extra.seq) + ": 'BIGINT', " + sql_string(extra.event_time) + ": 'BIGINT'}";
  return fmt::format(
      "CREATE TABLE {} AS SELECT * FROM read_csv({}, header = true, delim = ',', quote = '\"', "
      "escape = '\"', nullstr = {}, allow_quoted_nulls = false, auto_detect = false, "
      "columns = {})",
      peer_identifier(table), sql_string(csv.string()), sql_string(kNullText), columns);
}

// ---------------------------------------------------------------------------------------------
// The node process.

std::string tail_of_file(const fs::path& p, size_t max = 600) {
  std::ifstream in(p, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.size() > max ? "..." + text.substr(text.size() - max) : text;
}

class NodeProcess {
 public:
  NodeProcess(const fs::path& node, const fs::path& driver, const fs::path& stderr_file)
      : stderr_file_(stderr_file) {
    int to_child[2], from_child[2];
    // A socket for the child's stdin: send(MSG_NOSIGNAL) to a child that died fails with EPIPE
    // instead of killing us with SIGPIPE.
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to_child) != 0 ||
        pipe2(from_child, O_CLOEXEC) != 0) {
      throw DuckDbFailure{"duckdb peer: cannot create pipes", true};
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[1], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    const std::string node_s = node.string(), driver_s = driver.string();
    // --expose-gc: the driver collects a query's garbage before it replies (see wait_idle()).
    char expose_gc[] = "--expose-gc";
    char* argv[] = {const_cast<char*>(node_s.c_str()), expose_gc,
                    const_cast<char*>(driver_s.c_str()), nullptr};
    const int rc = posix_spawn(&pid_, node_s.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[1]);
    close(from_child[1]);
    to_ = to_child[0];
    from_ = from_child[0];
    if (rc != 0) {
      pid_ = -1;
      throw DuckDbFailure{fmt::format("duckdb peer: cannot start {}: {}", node_s, strerror(rc)),
                          true};
    }
  }
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // Closing stdin ends the driver; one that does not end within 2 s is killed.
  ~NodeProcess() {
    if (to_ >= 0) close(to_);
    if (from_ >= 0) close(from_);
    if (pid_ <= 0) return;
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  // The next reply line, parsed. Throws with node's stderr when it ends or times out first.
  json read_reply(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t newline;
    while ((newline = buffer_.find('\n')) == std::string::npos) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{from_, POLLIN, 0};
      const int ready = left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0;
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) {
        kill(pid_, SIGKILL);
        throw DuckDbFailure{fmt::format("duckdb peer: no reply from node within {} s{}",
                                        timeout_ms / 1000, stderr_suffix())};
      }
      char chunk[4096];
      const ssize_t n = read(from_, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw DuckDbFailure{"duckdb peer: node exited" + stderr_suffix()};
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    std::string line = buffer_.substr(0, newline);
    buffer_.erase(0, newline + 1);
    try {
      return json::parse(line);
    } catch (const json::exception&) {
      throw DuckDbFailure{"duckdb peer: unreadable reply from node: " + line.substr(0, 200)};
    }
  }

  // Returns once node has used no CPU for two samples 10 ms apart (at most `limit_ms`). After
  // a query node still frees the result's million JS objects, on background GC threads too: in a
  // matrix that work landed on the next cell's passes (the cell after a DuckDB pass ran about 25%
  // slower than the same cell after a SQLite pass). No cell may start while a peer is busy.
  void wait_idle(int limit_ms) const {
    const auto deadline = Clock::now() + std::chrono::milliseconds(limit_ms);
    uint64_t last = cpu_ticks();
    int quiet = 0;
    while (quiet < 2 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const uint64_t now = cpu_ticks();
      quiet = now == last ? quiet + 1 : 0;
      last = now;
    }
  }

  json request(const json& req, int timeout_ms) {
    const std::string line = req.dump() + "\n";
    for (size_t sent = 0; sent < line.size();) {
      const ssize_t n = send(to_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw DuckDbFailure{"duckdb peer: node is gone" + stderr_suffix()};
      sent += static_cast<size_t>(n);
    }
    json reply = read_reply(timeout_ms);
    if (!reply.value("ok", false)) {
      throw DuckDbFailure{"duckdb peer: " + reply.value("error", std::string("failed"))};
    }
    return reply;
  }

 private:
  // utime + stime of the node process (fields 14 and 15 of /proc/PID/stat), in clock ticks.
  uint64_t cpu_ticks() const {
    std::ifstream in(fmt::format("/proc/{}/stat", pid_));
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t close_paren = stat.rfind(')');  // the command name may hold spaces
    if (close_paren == std::string::npos) return 0;
    std::istringstream fields(stat.substr(close_paren + 2));
    std::string field;
    uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
      if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
    }
    return utime + stime;
  }

  std::string stderr_suffix() const {
    const std::string tail = tail_of_file(stderr_file_);
    return tail.empty() ? "" : ": " + tail;
  }

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string buffer_;
  fs::path stderr_file_;
};

// A temporary folder, removed with its files.
class TempFolder {
 public:
  TempFolder() {
    std::string templ = (fs::temp_directory_path() / "sg-duckdb-XXXXXX").string();
    if (!mkdtemp(templ.data()))
      throw DuckDbFailure{"duckdb peer: cannot create a temporary folder"};
    path_ = templ;
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// One dataset loaded into DuckDB in its own node process. Members are destroyed in reverse
// order: the process ends before its folder goes.
struct LoadedDuckDb {
  DatasetKey key;
  std::string table;
  std::string schema;
  TempFolder folder;
  std::unique_ptr<NodeProcess> node;
  uint64_t load_ns = 0;
};

std::unique_ptr<LoadedDuckDb> load(const PeerJob& job, const fs::path& node,
                                   const fs::path& driver) {
  const auto t0 = Clock::now();
  const Schema& schema = job.query.input_schema();
  const PeerExtraColumns extra = peer_extra_columns(schema);
  auto loaded = std::make_unique<LoadedDuckDb>();
  const fs::path csv = loaded->folder.path() / "data.csv";
  write_csv(csv, schema, extra, job.data);
  loaded->node = std::make_unique<NodeProcess>(node, driver, loaded->folder.path() / "stderr.txt");
  try {
    loaded->node->read_reply(kStartTimeoutMs);  // {"ok": true, "ready": true}
  } catch (DuckDbFailure& f) {
    f.message = "duckdb peer: node could not start DuckDB (" + f.message + ")";
    f.unavailable = true;
    throw;
  }
  loaded->node->request({{"setup", load_sql(job.query.source_name(), schema, extra, csv)}},
                        kRequestTimeoutMs);
  loaded->key = dataset_key(job.data);
  loaded->table = job.query.source_name();
  loaded->schema = schema.to_string();
  loaded->load_ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
  return loaded;
}

class DuckDbCache {
 public:
  LoadedDuckDb& get(const PeerJob& job, const fs::path& node, const fs::path& driver) {
    const DatasetKey key = dataset_key(job.data);
    const std::string schema = job.query.input_schema().to_string();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if ((*it)->key == key && (*it)->table == job.query.source_name() && (*it)->schema == schema) {
        entries_.splice(entries_.begin(), entries_, it);
        return *entries_.front();
      }
    }
    size_t held = job.data.records.size();
    for (auto it = entries_.begin(); it != entries_.end();) {
      held += (*it)->key.records;
      it = held > kPeerCacheRecords ? entries_.erase(it) : std::next(it);
    }
    entries_.push_front(load(job, node, driver));
    return *entries_.front();
  }
  // A process that failed may be in any state: the next pass starts afresh.
  void drop_front() {
    if (!entries_.empty()) entries_.pop_front();
  }

 private:
  std::list<std::unique_ptr<LoadedDuckDb>> entries_;
};

Value json_value(const json& j) {
  switch (j.type()) {
    case json::value_t::number_integer:
      return Value::integer(j.get<int64_t>());
    case json::value_t::number_unsigned: {
      const uint64_t u = j.get<uint64_t>();
      return u <= static_cast<uint64_t>(INT64_MAX) ? Value::integer(static_cast<int64_t>(u))
                                                   : Value::floating(static_cast<double>(u));
    }
    case json::value_t::number_float:
      return Value::floating(j.get<double>());
    case json::value_t::string:
      return Value::string(j.get_ref<const std::string&>());
    case json::value_t::boolean:
      return Value::boolean(j.get<bool>());
    default:
      return Value::null();
  }
}

void read_rows(const fs::path& file, size_t width, uint64_t expected, PeerRows& rows) {
  std::ifstream in(file, std::ios::binary);
  rows.width = width;
  rows.values.clear();
  rows.values.reserve(expected * width);
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    json row;
    try {
      row = json::parse(line);
    } catch (const json::exception& e) {
      throw DuckDbFailure{fmt::format("duckdb peer: {}:{}: {}", file.string(), line_no, e.what())};
    }
    if (!row.is_array() || row.size() != width) {
      throw DuckDbFailure{fmt::format("duckdb peer: {}:{}: expected an array of {} values",
                                      file.string(), line_no, width)};
    }
    for (const json& v : row) rows.values.push_back(json_value(v));
  }
  if (line_no != expected) {
    throw DuckDbFailure{fmt::format("duckdb peer: {} rows in {}, node reported {}", line_no,
                                    file.string(), expected)};
  }
}

}  // namespace

void run_duckdb_peer(const PeerJob& job, PeerRun& run, PeerRows& rows) {
  static std::mutex mutex;
  static DuckDbCache cache;
  std::lock_guard lock(mutex);
  try {
    const fs::path node = find_node();
    const fs::path driver = find_driver();
    LoadedDuckDb& loaded = cache.get(job, node, driver);
    run.load_ns = loaded.load_ns;
    const fs::path out = loaded.folder.path() / "rows.jsonl";
    json reply;
    try {
      reply = loaded.node->request({{"query", job.translation.sql}, {"out", out.string()}},
                                   kRequestTimeoutMs);
    } catch (const DuckDbFailure&) {
      cache.drop_front();
      throw;
    }
    loaded.node->wait_idle(kIdleLimitMs);
    run.query_ns = reply.value("query_ns", uint64_t{0});
    run.timed =
        "inside DuckDB's process: the query and the fetch of every result chunk, "
        "1 thread (load, start-up and row transfer untimed)";
    read_rows(out, job.query.output_schema().size(), reply.value("rows", uint64_t{0}), rows);
  } catch (const DuckDbFailure& f) {
    run.status = f.unavailable ? PeerStatus::Unavailable : PeerStatus::Failed;
    run.reason = f.message;
  }
}

}  // namespace sg

#include "harness/matrix/result_paths.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace sg {

namespace fs = std::filesystem;

ResultPaths result_paths_beside(const fs::path& json) {
  ResultPaths p;
  p.json = json;
  p.csv = fs::path(json).replace_extension(".csv");
  p.journal = fs::path(json).replace_extension(".journal.jsonl");
  return p;
}

fs::path default_result_path(const std::string& name, const fs::path& folder) {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::string stem = fmt::format("{}-{:%Y%m%d-%H%M%S}-{:03}-{}", name,
                                       fmt::localtime(system_clock::to_time_t(now)), ms, getpid());
  for (int n = 1;; ++n) {
    const fs::path json = folder / (n == 1 ? stem : fmt::format("{}-{}", stem, n)) += ".json";
    const ResultPaths p = result_paths_beside(json);
    std::error_code ec;
    if (!fs::exists(p.json, ec) && !fs::exists(p.csv, ec) && !fs::exists(p.journal, ec))
      return json;
  }
}

namespace {

// Opens `file` for writing and writes one byte, without replacing what is there.
void test_write(const fs::path& file) {
  std::error_code ec;
  const bool existed = fs::exists(file, ec);
  // Only a regular file this test created is removed again: never what was there (/dev/full).
  auto remove_own = [&] {
    if (!existed && fs::is_regular_file(file, ec)) fs::remove(file, ec);
  };
  {
    std::ofstream out(file, std::ios::app);
    if (!out)
      throw OutputPathError(
          fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
    // A regular file that exists is only opened (it is replaced at the end); anything else (a
    // new file, a device such as /dev/full) takes a byte, to learn whether writes succeed.
    if (!existed || !fs::is_regular_file(file, ec)) {
      out << '\n';
      out.flush();
      if (!out) {
        const int err = errno;
        out.close();
        remove_own();
        throw OutputPathError(
            fmt::format("cannot write {}: {}", file.string(), std::strerror(err)));
      }
    }
  }
  remove_own();
}

}  // namespace

void prepare_result_paths(const ResultPaths& paths, bool replace, bool own_interrupted) {
  const fs::path folder = paths.json.parent_path();
  if (!folder.empty()) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (!fs::is_directory(folder))
      throw OutputPathError(fmt::format("cannot create the result folder {}: {}", folder.string(),
                                        ec && fs::exists(folder) ? "a file is in the way"
                                        : ec                     ? ec.message()
                                                                 : "not a folder"));
  }
  for (const fs::path& file : {paths.json, paths.csv}) {
    std::error_code ec;
    if (fs::exists(file, ec) && !replace && !own_interrupted) {
      throw OutputPathError(fmt::format(
          "{} exists: a result is never replaced silently; pass --force to replace it, or "
          "choose another --out",
          file.string()));
    }
    test_write(file);
  }
}

bool is_interrupted_result(const fs::path& json) {
  std::ifstream in(json);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.value("interrupted", false) == true;
}

}  // namespace sg

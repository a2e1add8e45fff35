#include "harness/workload/scenario.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "harness/workload/toml_access.h"

namespace sg {

static FieldSpec parse_field(const TomlTable& t) {
  FieldSpec f;
  f.name = t.required<std::string>("name");
  std::string type = t.required<std::string>("type");
  if (!parse_type_name(type, f.type)) {
    t.fail("type", "unknown type '" + type + "' (expected integer, float, string, boolean or timestamp)");
  }
  f.distribution = t.required<std::string>("distribution");
  f.start = t.optional<double>("start", f.start);
  f.step = t.optional<double>("step", f.step);
  f.modulus = t.optional<int64_t>("modulus", f.modulus);
  f.offset = t.optional<int64_t>("offset", f.offset);
  f.min = t.optional<double>("min", f.min);
  f.max = t.optional<double>("max", f.max);
  f.pattern = t.optional<std::string>("pattern", f.pattern);
  f.base = t.optional<double>("base", f.base);
  f.amplitude = t.optional<double>("amplitude", f.amplitude);
  f.period = t.optional<double>("period", f.period);
  f.noise = t.optional<double>("noise", f.noise);
  f.start_ms = t.optional<int64_t>("start_ms", f.start_ms);
  f.spacing_ms = t.optional<int64_t>("spacing_ms", f.spacing_ms);
  f.disorder_ms = t.optional<int64_t>("disorder_ms", f.disorder_ms);
  f.null_fraction = t.optional<double>("null_fraction", f.null_fraction);
  if (auto choices = t.array("choices")) {
    for (size_t i = 0; i < choices->size(); ++i) {
      const toml::node& n = *choices->get(i);
      if (auto v = n.value<int64_t>(); v && n.is_integer()) f.choices.push_back(Value::integer(*v));
      else if (auto d = n.value<double>(); d && n.is_floating_point()) f.choices.push_back(Value::floating(*d));
      else if (auto s = n.value<std::string>()) f.choices.push_back(Value::string(*s));
      else if (auto b = n.value<bool>()) f.choices.push_back(Value::boolean(*b));
      else t.fail("choices", fmt::format("element {} is not an integer, float, string or boolean", i + 1));
    }
  }
  if (auto weights = t.array("weights")) {
    for (size_t i = 0; i < weights->size(); ++i) {
      auto w = weights->get(i)->value<double>();
      if (!w) t.fail("weights", fmt::format("element {} is not a number", i + 1));
      f.weights.push_back(*w);
    }
  }
  t.reject_unknown({"name", "type", "distribution", "start", "step", "modulus", "offset", "min",
                    "max", "pattern", "base", "amplitude", "period", "noise", "start_ms",
                    "spacing_ms", "disorder_ms", "null_fraction", "choices", "weights"});
  return f;
}

static GeneratorSpec parse_generator(const TomlTable& g) {
  GeneratorSpec spec;
  spec.seed = static_cast<uint64_t>(g.required<int64_t>("seed"));
  if (auto et = g.table("event_time")) {
    spec.event_time.field = et->optional<std::string>("field", "");
    spec.event_time.start_ms = et->optional<int64_t>("start_ms", 0);
    spec.event_time.spacing_ms = et->optional<int64_t>("spacing_ms", 1);
    spec.event_time.disorder_ms = et->optional<int64_t>("disorder_ms", 0);
    et->reject_unknown({"field", "start_ms", "spacing_ms", "disorder_ms"});
  }
  auto fields = g.array_of_tables("fields");
  if (fields.empty()) g.fail("fields", "a generator needs at least one [[generator.fields]] entry");
  for (const TomlTable& f : fields) spec.fields.push_back(parse_field(f));
  g.reject_unknown({"seed", "event_time", "fields"});
  return spec;
}

Scenario load_scenario(const std::filesystem::path& file) {
  TomlDocument doc = TomlDocument::parse_file(file);
  const TomlTable& root = doc.root();
  Scenario s;
  s.file = file;
  s.name = root.required<std::string>("name");
  s.description = root.optional<std::string>("description", "");
  s.sql = root.required<std::string>("sql");
  int64_t records = root.required<int64_t>("records");
  if (records <= 0) root.fail("records", "must be positive");
  s.records = static_cast<uint64_t>(records);
  if (auto counts = root.array("record_counts")) {
    for (size_t i = 0; i < counts->size(); ++i) {
      auto n = counts->get(i)->value<int64_t>();
      if (!n || *n <= 0) root.fail("record_counts", fmt::format("element {} is not a positive integer", i + 1));
      s.record_counts.push_back(static_cast<uint64_t>(*n));
    }
  }
  if (auto check = root.table("check")) {
    std::string same_as = check->optional<std::string>("same_as", "direct");
    if (same_as != "direct" && same_as != "none") {
      check->fail("same_as", "expected \"direct\" or \"none\", found \"" + same_as + "\"");
    }
    s.check.same_as_direct = same_as == "direct";
    if (check->has("expected_rows")) {
      s.check.expected_rows = static_cast<uint64_t>(check->required<int64_t>("expected_rows"));
    }
    if (check->has("expected_digest")) s.check.expected_digest = check->required<std::string>("expected_digest");
    check->reject_unknown({"same_as", "expected_rows", "expected_digest"});
  }
  for (const TomlTable& f : root.array_of_tables("seed_figures")) {
    s.seed_figures.push_back({f.required<std::string>("label"),
                              f.required<double>("records_per_second"),
                              f.optional<std::string>("source", "")});
    f.reject_unknown({"label", "records_per_second", "source"});
  }
  auto gen = root.table("generator");
  if (!gen) root.fail("generator", "missing [generator] table");
  s.generator = parse_generator(*gen);
  root.reject_unknown({"name", "description", "sql", "records", "record_counts", "check",
                       "seed_figures", "generator"});
  try {
    Generator validate(s.generator);  // the generator names the bad field
  } catch (const std::invalid_argument& e) {
    throw ConfigError(fmt::format("{}: [generator]: {}", file.string(), e.what()));
  }
  return s;
}

std::vector<Scenario> load_scenarios(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw ConfigError(fmt::format("{}: not a directory of scenario files", dir.string()));
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> out;
  std::set<std::string> names;
  for (const auto& f : files) {
    out.push_back(load_scenario(f));
    if (!names.insert(out.back().name).second) {
      throw ConfigError(fmt::format("{}: scenario name '{}' is already used by another file",
                                    f.string(), out.back().name));
    }
  }
  return out;
}

std::filesystem::path default_scenario_dir() {
  if (const char* env = std::getenv("STREAMGAUGE_SCENARIOS")) return env;
  if (std::filesystem::is_directory("scenarios")) return "scenarios";
#ifdef STREAMGAUGE_SOURCE_DIR
  return std::filesystem::path(STREAMGAUGE_SOURCE_DIR) / "scenarios";
#else
  return "scenarios";
#endif
}

}  // namespace sg

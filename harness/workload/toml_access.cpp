#include "harness/workload/toml_access.h"

#include <fmt/format.h>

#include "harness/workload/scenario.h"

namespace sg {

static std::string where(const std::string& file, const toml::source_region& src) {
  if (src.begin.line == 0) return file;
  return fmt::format("{}:{}:{}", file, src.begin.line, src.begin.column);
}

void TomlTable::fail(const std::string& key, const std::string& message) const {
  const toml::node* n = t_->get(key);
  const toml::source_region& src = n ? n->source() : t_->source();
  throw ConfigError(fmt::format("{}: key '{}': {}", where(file_, src), qualified(key), message));
}

void TomlTable::fail_here(const std::string& message) const {
  throw ConfigError(fmt::format("{}: {}", where(file_, t_->source()), message));
}

std::optional<TomlTable> TomlTable::table(const std::string& key) const {
  const toml::node* n = t_->get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(key, "expected a table");
  return TomlTable(*n->as_table(), file_, qualified(key));
}

const toml::array* TomlTable::array(const std::string& key) const {
  const toml::node* n = t_->get(key);
  if (!n) return nullptr;
  if (!n->is_array()) fail(key, "expected an array");
  return n->as_array();
}

std::vector<TomlTable> TomlTable::array_of_tables(const std::string& key) const {
  std::vector<TomlTable> out;
  const toml::array* a = array(key);
  if (!a) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node* n = a->get(i);
    if (!n->is_table()) fail(key, fmt::format("element {} is not a table", i + 1));
    out.emplace_back(*n->as_table(), file_, fmt::format("{}[{}]", qualified(key), i + 1));
  }
  return out;
}

std::vector<std::string> TomlTable::string_list(const std::string& key) const {
  const toml::node* n = t_->get(key);
  if (!n) return {};
  if (n->is_string()) return {*n->value<std::string>()};
  std::vector<std::string> out;
  const toml::array* a = array(key);
  for (size_t i = 0; i < a->size(); ++i) {
    auto s = a->get(i)->value<std::string>();
    if (!s) fail(key, fmt::format("element {} is not a string", i + 1));
    out.push_back(*s);
  }
  return out;
}

std::vector<int64_t> TomlTable::int_list(const std::string& key) const {
  const toml::node* n = t_->get(key);
  if (!n) return {};
  if (n->is_integer()) return {*n->value<int64_t>()};
  std::vector<int64_t> out;
  const toml::array* a = array(key);
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node* e = a->get(i);
    if (!e->is_integer()) fail(key, fmt::format("element {} is not an integer", i + 1));
    out.push_back(*e->value<int64_t>());
  }
  return out;
}

void TomlTable::reject_unknown(std::initializer_list<const char*> known) const {
  reject_unknown(std::vector<const char*>(known));
}

void TomlTable::reject_unknown(const std::vector<const char*>& known) const {
  for (const auto& [k, v] : *t_) {
    bool ok = false;
    for (const char* name : known) ok = ok || k.str() == name;
    if (!ok) {
      std::string list;
      for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
      throw ConfigError(fmt::format("{}: key '{}': unknown key; expected one of: {}",
                                    where(file_, v.source()), qualified(std::string(k.str())), list));
    }
  }
}

TomlDocument::TomlDocument(toml::table table, std::string file)
    : table_(std::make_unique<toml::table>(std::move(table))), root_(*table_, std::move(file), "") {}

TomlDocument TomlDocument::parse_string(std::string_view text, const std::string& name) {
  try {
    return TomlDocument(toml::parse(text, name), name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(fmt::format("{}: {}", where(name, e.source()), e.description()));
  }
}

TomlDocument TomlDocument::parse_file(const std::filesystem::path& file) {
  try {
    return TomlDocument(toml::parse_file(file.string()), file.string());
  } catch (const toml::parse_error& e) {
    if (!std::filesystem::exists(file)) {
      throw ConfigError(fmt::format("{}: no such file", file.string()));
    }
    throw ConfigError(fmt::format("{}: {}", where(file.string(), e.source()), e.description()));
  }
}

}  // namespace sg

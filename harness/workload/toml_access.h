// Typed access to a TOML table with errors that name the file, line, column and key, so a typo
// in a scenario or matrix file is reported where it is ("scenarios/x.toml:12:1: key 'recods':
// unknown key; expected one of ...") instead of being silently ignored.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace sg {

class TomlTable {
 public:
  TomlTable(const toml::table& t, std::string file, std::string path)
      : t_(&t), file_(std::move(file)), path_(std::move(path)) {}

  bool has(const std::string& key) const { return t_->contains(key); }

  template <class T>
  T required(const std::string& key) const {
    const toml::node* n = t_->get(key);
    if (!n) fail_here("missing required key '" + qualified(key) + "'");
    return convert<T>(*n, key);
  }
  template <class T>
  T optional(const std::string& key, T fallback) const {
    const toml::node* n = t_->get(key);
    return n ? convert<T>(*n, key) : fallback;
  }
  std::optional<TomlTable> table(const std::string& key) const;
  const toml::array* array(const std::string& key) const;
  // `[[key]]` entries; empty when absent.
  std::vector<TomlTable> array_of_tables(const std::string& key) const;
  // Strings, or a single string accepted as a one-element list.
  std::vector<std::string> string_list(const std::string& key) const;
  std::vector<int64_t> int_list(const std::string& key) const;

  // Throws ConfigError for the first key not in `known`.
  void reject_unknown(std::initializer_list<const char*> known) const;
  void reject_unknown(const std::vector<const char*>& known) const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

 private:
  template <class T>
  T convert(const toml::node& n, const std::string& key) const {
    if constexpr (std::is_same_v<T, double>) {
      if (auto v = n.value<double>()) return *v;  // integers are accepted as floats
      fail(key, "expected a number");
    } else if constexpr (std::is_same_v<T, int64_t>) {
      if (n.is_integer()) return *n.value<int64_t>();
      fail(key, "expected an integer");
    } else if constexpr (std::is_same_v<T, bool>) {
      if (n.is_boolean()) return *n.value<bool>();
      fail(key, "expected true or false");
    } else {
      static_assert(std::is_same_v<T, std::string>, "unsupported TOML value type");
      if (n.is_string()) return *n.value<std::string>();
      fail(key, "expected a string");
    }
  }
  [[noreturn]] void fail_here(const std::string& message) const;
  std::string qualified(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  const toml::table* t_;
  std::string file_;
  std::string path_;
};

class TomlDocument {
 public:
  // Throws ConfigError "FILE:LINE:COLUMN: <parser message>" on a syntax error.
  static TomlDocument parse_file(const std::filesystem::path& file);
  static TomlDocument parse_string(std::string_view text, const std::string& name);
  const TomlTable& root() const { return root_; }

 private:
  TomlDocument(toml::table table, std::string file);
  std::unique_ptr<toml::table> table_;
  TomlTable root_;
};

}  // namespace sg

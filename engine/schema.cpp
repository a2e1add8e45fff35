#include "engine/schema.h"

#include <cctype>
#include <stdexcept>

namespace sg {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

namespace {

thread_local uint64_t names_compared_here = 0;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Schema::Schema(std::vector<Field> fields) {
  fields_.reserve(fields.size());
  for (Field& f : fields) add(std::move(f.name), f.type);
}

void Schema::add(std::string name, Type type) {
  fields_.push_back({std::move(name), type});
  index_last();
}

void Schema::index_last() {
  by_name_.emplace(lower(fields_.back().name), fields_.size() - 1);
}

std::optional<size_t> Schema::index_of(std::string_view name) const {
  if (by_name_.empty()) return std::nullopt;
  const std::string key = lower(name);
  // The bucket walked by hand, so that the names compared can be counted.
  const size_t bucket = by_name_.bucket(key);
  for (auto it = by_name_.begin(bucket); it != by_name_.end(bucket); ++it) {
    ++names_compared_here;
    if (it->first == key) return it->second;
  }
  return std::nullopt;
}

uint64_t Schema::names_compared() { return names_compared_here; }

std::string Schema::names() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ", ";
    out += fields_[i].name;
  }
  return out;
}

std::string Schema::to_string() const {
  std::string out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i) out += ",";
    out += fields_[i].name;
    out += ":";
    out += type_name(fields_[i].type);
  }
  return out;
}

static std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Schema Schema::parse(std::string_view spec) {
  Schema schema;
  size_t start = 0;
  int index = 1;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view entry = trim(spec.substr(start, end - start));
    size_t colon = entry.find(':');
    if (colon == std::string_view::npos) {
      throw std::invalid_argument("schema entry " + std::to_string(index) + " '" +
                                  std::string(entry) + "': expected name:type");
    }
    std::string_view name = trim(entry.substr(0, colon));
    std::string_view type_text = trim(entry.substr(colon + 1));
    Type type;
    if (name.empty()) {
      throw std::invalid_argument("schema entry " + std::to_string(index) + ": empty field name");
    }
    if (!parse_type_name(type_text, type)) {
      throw std::invalid_argument("schema entry " + std::to_string(index) + " '" +
                                  std::string(entry) + "': unknown type '" +
                                  std::string(type_text) +
                                  "' (expected integer, float, string, boolean or timestamp)");
    }
    if (schema.index_of(name)) {
      throw std::invalid_argument("schema entry " + std::to_string(index) + ": duplicate field '" +
                                  std::string(name) + "'");
    }
    schema.add(std::string(name), type);
    start = end + 1;
    ++index;
  }
  return schema;
}

}  // namespace sg

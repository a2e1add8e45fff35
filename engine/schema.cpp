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

std::optional<size_t> Schema::index_of(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (iequals(fields_[i].name, name)) return i;
  }
  return std::nullopt;
}

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

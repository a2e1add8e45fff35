#include "harness/io/text_values.h"

#include <charconv>
#include <chrono>
#include <cmath>

#include "engine/schema.h"

namespace sg {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at s[pos..] into `out`.
bool fixed_digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = s[pos + k];
    if (!is_digit(c)) return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

}  // namespace

bool parse_int64(std::string_view text, int64_t& out) {
  text = trim_spaces(text);
  // from_chars rejects a leading '+', which people do write.
  if (text.size() > 1 && text.front() == '+' && is_digit(text[1])) text.remove_prefix(1);
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_double(std::string_view text, double& out) {
  text = trim_spaces(text);
  if (text.size() > 1 && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  // Only plain decimal/scientific forms: the first character after the sign must be a digit or
  // a '.', which rules out "nan", "inf" and "infinity".
  size_t first = text.front() == '-' ? 1 : 0;
  if (first >= text.size() || !(is_digit(text[first]) || text[first] == '.')) return false;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), out, std::chars_format::general);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_non_finite(std::string_view text, double& out) {
  if (text == "nan" || text == "NaN") out = NAN;
  else if (text == "inf" || text == "Infinity") out = INFINITY;
  else if (text == "-inf" || text == "-Infinity") out = -INFINITY;
  else return false;
  return true;
}

bool parse_bool(std::string_view text, bool& out) {
  text = trim_spaces(text);
  if (iequals(text, "true")) {
    out = true;
    return true;
  }
  if (iequals(text, "false")) {
    out = false;
    return true;
  }
  return false;
}

bool parse_timestamp(std::string_view text, int64_t& out_ms) {
  text = trim_spaces(text);
  if (parse_int64(text, out_ms)) return true;
  // YYYY-MM-DDTHH:MM:SS = 19 characters, then optional fraction and zone.
  int y, mo, d, h, mi, s;
  if (!fixed_digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' ||
      !fixed_digits(text, 5, 2, mo) || text[7] != '-' || !fixed_digits(text, 8, 2, d) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !fixed_digits(text, 11, 2, h) ||
      text[13] != ':' || !fixed_digits(text, 14, 2, mi) || text[16] != ':' ||
      !fixed_digits(text, 17, 2, s)) {
    return false;
  }
  if (h > 23 || mi > 59 || s > 59) return false;
  using namespace std::chrono;
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return false;
  size_t pos = 19;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      // Keep the first three digits (milliseconds); finer digits are truncated.
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (size_t k = digits; k < 3; ++k) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    char zone = text[pos];
    if ((zone == 'Z' || zone == 'z') && pos + 1 == text.size()) {
      pos = text.size();
    } else if (zone == '+' || zone == '-') {
      int oh, om;
      if (pos + 6 != text.size() || !fixed_digits(text, pos + 1, 2, oh) || text[pos + 3] != ':' ||
          !fixed_digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
        return false;
      }
      offset_minutes = (zone == '+' ? 1 : -1) * (oh * 60 + om);
      pos = text.size();
    } else {
      return false;
    }
  }
  int64_t days = sys_days(date).time_since_epoch().count();
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + s - offset_minutes * 60;
  out_ms = seconds * 1000 + millis;
  return true;
}

bool parse_value(std::string_view text, Type type, Value& out) {
  switch (type) {
    case Type::Integer: {
      int64_t v;
      if (!parse_int64(text, v)) return false;
      out = Value::integer(v);
      return true;
    }
    case Type::Float: {
      double v;
      // What append_double writes for non-finite values reads back.
      if (!parse_double(text, v) && !parse_non_finite(text, v)) return false;
      out = Value::floating(v);
      return true;
    }
    case Type::Boolean: {
      bool v;
      if (!parse_bool(text, v)) return false;
      out = Value::boolean(v);
      return true;
    }
    case Type::Timestamp: {
      int64_t v;
      if (!parse_timestamp(text, v)) return false;
      out = Value::timestamp(v);
      return true;
    }
    case Type::String:
      out = Value::string(text);
      return true;
    case Type::Null:
      break;
  }
  return false;
}

void TypeInference::observe(std::string_view text) {
  seen_ = true;
  if (all_int_) {
    int64_t i;
    all_int_ = parse_int64(text, i);
  }
  if (all_number_) {
    double d;
    const bool finite = parse_double(text, d);
    seen_number_ = seen_number_ || finite;
    all_number_ = finite || parse_non_finite(text, d);
  }
  if (all_bool_) {
    bool b;
    all_bool_ = parse_bool(text, b);
  }
}

Type TypeInference::result() const {
  if (!seen_) return Type::String;
  if (all_int_) return Type::Integer;
  if (all_number_ && seen_number_) return Type::Float;
  if (all_bool_) return Type::Boolean;
  return Type::String;
}

void append_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "nan";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  // to_chars without a precision gives the shortest text that reads back as the same double.
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view text(buf, static_cast<size_t>(ptr - buf));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

std::string format_double(double v) {
  std::string out;
  append_double(out, v);
  return out;
}

void append_value_text(std::string& out, const Value& v) {
  switch (v.type()) {
    case Type::Null:
      return;
    case Type::Integer:
    case Type::Timestamp: {
      char buf[24];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, ptr);
      return;
    }
    case Type::Float:
      append_double(out, v.as_float());
      return;
    case Type::Boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case Type::String:
      out += v.as_string();
      return;
  }
}

}  // namespace sg

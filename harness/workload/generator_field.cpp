#include "harness/workload/generator_field.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace sg {

namespace {

// Random stream purposes, so that a field's values and its NULLs are independent.
constexpr uint64_t kValueStream = 1;
constexpr uint64_t kNullStream = 2;

[[noreturn]] void fail(const FieldSpec& spec, const std::string& what) {
  throw std::invalid_argument(fmt::format("generator field '{}': {}", spec.name, what));
}

void require_type(const FieldSpec& spec, std::initializer_list<Type> allowed) {
  if (std::find(allowed.begin(), allowed.end(), spec.type) != allowed.end()) return;
  std::string names;
  for (Type t : allowed) {
    if (!names.empty()) names += ", ";
    names += type_name(t);
  }
  fail(spec, fmt::format("distribution '{}' cannot produce {} (it gives {})", spec.distribution,
                         type_name(spec.type), names));
}

void require_integral(const FieldSpec& spec, const char* param, double v) {
  // 2^63 is the first double outside int64's range.
  if (!(std::trunc(v) == v && std::fabs(v) < 9.2e18)) {
    fail(spec, fmt::format("{} = {} must be a whole number for a {} field", param, v,
                           type_name(spec.type)));
  }
}

void require_finite(const FieldSpec& spec, const char* param, double v) {
  if (!std::isfinite(v)) fail(spec, fmt::format("{} must be a finite number", param));
}

Value numeric(Type type, int64_t v) {
  if (type == Type::Float) return Value::floating(static_cast<double>(v));
  if (type == Type::Timestamp) return Value::timestamp(v);
  return Value::integer(v);
}

class SequenceField : public FieldGenerator {
 public:
  explicit SequenceField(const FieldSpec& s) : type_(s.type), start_(s.start), step_(s.step) {
    require_type(s, {Type::Integer, Type::Float, Type::Timestamp});
    require_finite(s, "start", s.start);
    require_finite(s, "step", s.step);
    if (type_ != Type::Float) {
      require_integral(s, "start", s.start);
      require_integral(s, "step", s.step);
    }
  }
  Value value_at(uint64_t i) const override {
    if (type_ == Type::Float) return Value::floating(start_ + static_cast<double>(i) * step_);
    // Unsigned arithmetic wraps instead of overflowing (undefined) on absurd specs.
    uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(start_)) +
                 i * static_cast<uint64_t>(static_cast<int64_t>(step_));
    return numeric(type_, static_cast<int64_t>(v));
  }

 private:
  Type type_;
  double start_, step_;
};

class ModuloField : public FieldGenerator {
 public:
  explicit ModuloField(const FieldSpec& s) : type_(s.type), modulus_(s.modulus), offset_(s.offset) {
    require_type(s, {Type::Integer, Type::Float, Type::String});
    if (s.modulus <= 0) fail(s, fmt::format("modulus = {} must be positive", s.modulus));
  }
  Value value_at(uint64_t i) const override {
    int64_t v = offset_ + static_cast<int64_t>(i % static_cast<uint64_t>(modulus_));
    if (type_ == Type::String) return Value::string(std::to_string(v));
    return numeric(type_, v);
  }

 private:
  Type type_;
  int64_t modulus_, offset_;
};

class UniformField : public FieldGenerator {
 public:
  UniformField(const FieldSpec& s, uint64_t stream)
      : type_(s.type), min_(s.min), max_(s.max), stream_(stream) {
    require_type(s, {Type::Integer, Type::Float, Type::Timestamp});
    require_finite(s, "min", s.min);
    require_finite(s, "max", s.max);
    if (s.min > s.max) fail(s, fmt::format("min = {} is greater than max = {}", s.min, s.max));
    if (type_ != Type::Float) {
      require_integral(s, "min", s.min);
      require_integral(s, "max", s.max);
      // Width of [min, max] as a count of integers; 0 stands for the full 2^64 range.
      int_span_ = static_cast<uint64_t>(static_cast<int64_t>(s.max)) -
                  static_cast<uint64_t>(static_cast<int64_t>(s.min)) + 1;
    }
  }
  Value value_at(uint64_t i) const override {
    uint64_t r = random_at(stream_, i);
    if (type_ == Type::Float) return Value::floating(min_ + (max_ - min_) * unit_interval(r));
    uint64_t pick = int_span_ == 0 ? r : below(r, int_span_);
    return numeric(type_,
                   static_cast<int64_t>(static_cast<uint64_t>(static_cast<int64_t>(min_)) + pick));
  }

 private:
  Type type_;
  double min_, max_;
  uint64_t int_span_ = 0;
  uint64_t stream_;
};

// A parsed pattern template: literal runs and placeholders ({i%N}, {r/N}, ...).
class PatternField : public FieldGenerator {
 public:
  PatternField(const FieldSpec& s, uint64_t stream) : stream_(stream) {
    require_type(s, {Type::String});
    if (s.pattern.empty()) fail(s, "pattern is empty");
    parse(s);
  }
  Value value_at(uint64_t i) const override {
    std::string out;
    out.reserve(reserve_);
    for (const Part& part : parts_) {
      out += part.literal;
      if (!part.placeholder) continue;
      // {r} is 63 bits so that it prints as a non-negative number either way it is read.
      uint64_t v = part.random ? random_at(stream_, i) >> 1 : i;
      for (const Op& op : part.ops) v = op.divide ? v / op.operand : v % op.operand;
      char buf[24];
      auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
      out.append(buf, ptr);
    }
    return Value::string(out);
  }

 private:
  struct Op {
    bool divide;  // '/' or '%'
    uint64_t operand;
  };
  struct Part {
    std::string literal;  // text before the placeholder
    bool placeholder = false;
    bool random = false;  // 'r' rather than 'i'
    std::vector<Op> ops;
  };

  void parse(const FieldSpec& s) {
    const std::string& p = s.pattern;
    Part current;
    for (size_t pos = 0; pos < p.size(); ++pos) {
      char c = p[pos];
      if (c == '}') {
        if (pos + 1 < p.size() && p[pos + 1] == '}') {
          current.literal += '}';
          ++pos;
          continue;
        }
        fail(s, fmt::format("pattern '{}': unmatched '}}' at position {} (write '}}}}' for a "
                            "literal brace)",
                            p, pos + 1));
      }
      if (c != '{') {
        current.literal += c;
        continue;
      }
      if (pos + 1 < p.size() && p[pos + 1] == '{') {
        current.literal += '{';
        ++pos;
        continue;
      }
      size_t close = p.find('}', pos);
      if (close == std::string::npos) {
        fail(s, fmt::format("pattern '{}': '{{' at position {} is never closed", p, pos + 1));
      }
      parse_placeholder(s, std::string_view(p).substr(pos + 1, close - pos - 1), current);
      current.placeholder = true;
      parts_.push_back(std::move(current));
      current = Part{};
      pos = close;
    }
    if (!current.literal.empty()) parts_.push_back(std::move(current));
    reserve_ = 0;
    for (const Part& part : parts_) reserve_ += part.literal.size() + (part.placeholder ? 8 : 0);
  }

  static void parse_placeholder(const FieldSpec& s, std::string_view body, Part& part) {
    auto bad = [&](const std::string& why) {
      fail(s, fmt::format("pattern '{}': placeholder '{{{}}}' {} (expected {{i}}, {{i%N}}, "
                          "{{i/N}}, {{r}} or {{r%N}} with N a positive integer)",
                          s.pattern, body, why));
    };
    if (body.empty()) bad("is empty");
    if (body[0] == 'i') {
      part.random = false;
    } else if (body[0] == 'r') {
      part.random = true;
    } else {
      bad(fmt::format("starts with '{}'", body[0]));
    }
    size_t pos = 1;
    while (pos < body.size()) {
      char op = body[pos];
      if (op != '%' && op != '/') bad(fmt::format("has '{}' where '%' or '/' was expected", op));
      ++pos;
      uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(body.data() + pos, body.data() + body.size(), n);
      if (ec != std::errc() || ptr == body.data() + pos) bad("has no number after an operator");
      if (n == 0) bad("divides by zero");
      part.ops.push_back({op == '/', n});
      pos = static_cast<size_t>(ptr - body.data());
    }
  }

  std::vector<Part> parts_;
  size_t reserve_ = 0;
  uint64_t stream_;
};

class SineField : public FieldGenerator {
 public:
  SineField(const FieldSpec& s, uint64_t stream)
      : type_(s.type),
        base_(s.base),
        amplitude_(s.amplitude),
        period_(s.period),
        noise_(s.noise),
        stream_(stream) {
    require_type(s, {Type::Float, Type::Integer});
    require_finite(s, "base", s.base);
    require_finite(s, "amplitude", s.amplitude);
    require_finite(s, "noise", s.noise);
    if (!(s.period > 0) || !std::isfinite(s.period)) {
      fail(s, fmt::format("period = {} must be a positive number of records", s.period));
    }
    if (s.noise < 0) fail(s, fmt::format("noise = {} must not be negative", s.noise));
  }
  Value value_at(uint64_t i) const override {
    // Reduce i modulo the period first, so that the angle stays small and sin() is accurate
    // (and the same across libm implementations) however long the stream.
    double phase = std::fmod(static_cast<double>(i), period_) / period_;
    double v = base_ + amplitude_ * std::sin(2 * std::numbers::pi * phase);
    if (noise_ > 0) v += noise_ * (2 * unit_interval(random_at(stream_, i)) - 1);
    if (type_ == Type::Integer) return Value::integer(std::llround(v));
    return Value::floating(v);
  }

 private:
  Type type_;
  double base_, amplitude_, period_, noise_;
  uint64_t stream_;
};

class ChoiceField : public FieldGenerator {
 public:
  ChoiceField(const FieldSpec& s, uint64_t stream) : stream_(stream) {
    if (s.choices.empty()) fail(s, "choice needs at least one value in 'choices'");
    for (size_t k = 0; k < s.choices.size(); ++k) {
      const Value& v = s.choices[k];
      if (v.is_null() || v.type() == s.type) {
        choices_.push_back(v);
      } else if (s.type == Type::Float && v.type() == Type::Integer) {
        choices_.push_back(Value::floating(static_cast<double>(v.as_int())));
      } else {
        fail(s, fmt::format("choice {} ({}) is {}, not {}", k + 1, v.to_string(),
                            type_name(v.type()), type_name(s.type)));
      }
    }
    if (s.weights.empty()) return;
    if (s.weights.size() != s.choices.size()) {
      fail(s, fmt::format("{} weights for {} choices", s.weights.size(), s.choices.size()));
    }
    double total = 0;
    for (double w : s.weights) {
      if (!(w >= 0) || !std::isfinite(w)) fail(s, fmt::format("weight {} must be >= 0", w));
      total += w;
      cumulative_.push_back(total);
    }
    if (!(total > 0)) fail(s, "the weights add up to 0");
  }
  Value value_at(uint64_t i) const override {
    uint64_t r = random_at(stream_, i);
    if (cumulative_.empty()) return choices_[below(r, choices_.size())];
    double target = unit_interval(r) * cumulative_.back();
    size_t k =
        std::upper_bound(cumulative_.begin(), cumulative_.end(), target) - cumulative_.begin();
    return choices_[std::min(k, choices_.size() - 1)];
  }

 private:
  std::vector<Value> choices_;
  std::vector<double> cumulative_;  // running sums of the weights; empty = uniform
  uint64_t stream_;
};

class TimestampField : public FieldGenerator {
 public:
  TimestampField(const FieldSpec& s, uint64_t stream)
      : type_(s.type),
        start_ms_(s.start_ms),
        spacing_ms_(s.spacing_ms),
        disorder_ms_(s.disorder_ms),
        stream_(stream) {
    require_type(s, {Type::Timestamp, Type::Integer});
    if (s.spacing_ms < 0) fail(s, fmt::format("spacing_ms = {} is negative", s.spacing_ms));
    if (s.disorder_ms < 0) fail(s, fmt::format("disorder_ms = {} is negative", s.disorder_ms));
  }
  Value value_at(uint64_t i) const override {
    return numeric(type_, disordered_time(start_ms_, spacing_ms_, disorder_ms_, stream_, i));
  }

 private:
  Type type_;
  int64_t start_ms_, spacing_ms_, disorder_ms_;
  uint64_t stream_;
};

}  // namespace

int64_t disordered_time(int64_t start_ms, int64_t spacing_ms, int64_t disorder_ms, uint64_t stream,
                        uint64_t index) {
  int64_t t = start_ms + static_cast<int64_t>(index) * spacing_ms;
  if (disorder_ms > 0) {
    t -= static_cast<int64_t>(
        below(random_at(stream, index), static_cast<uint64_t>(disorder_ms) + 1));
  }
  return t;
}

std::unique_ptr<FieldGenerator> FieldGenerator::make(const FieldSpec& spec, uint64_t seed,
                                                     size_t field_index) {
  if (spec.name.empty()) {
    throw std::invalid_argument(
        fmt::format("generator field {}: the name is empty", field_index + 1));
  }
  if (!(spec.null_fraction >= 0 && spec.null_fraction <= 1)) {
    fail(spec, fmt::format("null_fraction = {} must be between 0 and 1", spec.null_fraction));
  }
  if (spec.type == Type::Null) fail(spec, "the type must not be NULL");
  uint64_t stream = stream_key(seed, field_index, kValueStream);
  const std::string& d = spec.distribution;
  std::unique_ptr<FieldGenerator> g;
  if (d == "sequence")
    g = std::make_unique<SequenceField>(spec);
  else if (d == "modulo")
    g = std::make_unique<ModuloField>(spec);
  else if (d == "uniform")
    g = std::make_unique<UniformField>(spec, stream);
  else if (d == "pattern")
    g = std::make_unique<PatternField>(spec, stream);
  else if (d == "sine")
    g = std::make_unique<SineField>(spec, stream);
  else if (d == "choice")
    g = std::make_unique<ChoiceField>(spec, stream);
  else if (d == "timestamp")
    g = std::make_unique<TimestampField>(spec, stream);
  else {
    fail(spec, fmt::format("unknown distribution '{}' (expected sequence, modulo, uniform, "
                           "pattern, sine, choice or timestamp)",
                           d));
  }
  g->null_fraction_ = spec.null_fraction;
  g->null_stream_ = stream_key(seed, field_index, kNullStream);
  return g;
}

}  // namespace sg

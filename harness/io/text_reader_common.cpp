#include "harness/io/text_reader_common.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace sg {

bool parse_on_error(std::string_view text, OnError& out) {
  if (text == "fail") {
    out = OnError::Fail;
  } else if (text == "skip") {
    out = OnError::Skip;
  } else {
    return false;
  }
  return true;
}

ChunkedInput::ChunkedInput(std::string path, size_t chunk_bytes)
    : path_(std::move(path)), chunk_(std::max<size_t>(chunk_bytes, 16)) {
  file_ = std::fopen(path_.c_str(), "rb");
  if (!file_) throw SourceError(fmt::format("{}: cannot open: {}", path_, std::strerror(errno)));
  buffer_.resize(chunk_);
  peak_ = buffer_.size();
}

ChunkedInput::~ChunkedInput() {
  if (file_) std::fclose(file_);
}

void ChunkedInput::consume(size_t n) {
  begin_ += std::min(n, end_ - begin_);
  if (begin_ == end_) begin_ = end_ = 0;
}

bool ChunkedInput::fill() {
  if (eof_) return false;
  size_t held = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, held);
    begin_ = 0;
    end_ = held;
  }
  // Room for a whole chunk behind what is held; when one row is already longer than a chunk,
  // read as much again as it holds, so a long row is re-scanned O(log n) times, not O(n).
  size_t want = std::max(chunk_, held);
  if (buffer_.size() - end_ < want) {
    buffer_.resize(end_ + want);
    peak_ = std::max(peak_, buffer_.size());
  }
  size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_)) {
      throw SourceError(fmt::format("{}: read error: {}", path_, std::strerror(errno)));
    }
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

void BadRowPolicy::bad_row(const std::string& message) {
  if (on_error_ == OnError::Fail) throw SourceError(message);
  ++skipped_;
  if (messages_.size() < kept_messages_) messages_.push_back(message);
}

int resolve_event_time_column(const std::string& path, const Schema& schema,
                              const std::string& column) {
  if (column.empty()) {
    for (size_t k = 0; k < schema.size(); ++k) {
      if (schema[k].type == Type::Timestamp) return static_cast<int>(k);
    }
    return -1;
  }
  auto index = schema.index_of(column);
  if (!index) {
    throw SourceError(fmt::format("{}: event-time column '{}' does not exist (columns: {})", path,
                                  column, schema.names()));
  }
  Type t = schema[*index].type;
  if (t != Type::Timestamp && t != Type::Integer) {
    throw SourceError(
        fmt::format("{}: event-time column '{}' is {}; expected TIMESTAMP or "
                    "INTEGER milliseconds",
                    path, column, type_name(t)));
  }
  return static_cast<int>(*index);
}

std::string excerpt(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "...";
}

}  // namespace sg

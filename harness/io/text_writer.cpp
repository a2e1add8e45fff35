#include "harness/io/text_writer.h"

#include <fmt/format.h>

namespace sg {

void TextWriter::write(std::span<const RecordPtr> rows) {
  std::string& text = out_.buffer();
  for (const RecordPtr& row : rows) {
    if (row->size() != schema_.size()) {
      throw SinkError(fmt::format("{}: row {} has {} values but the output schema has {} ({})",
                                  out_.path(), written_ + 1, row->size(), schema_.size(),
                                  schema_.names()));
    }
    append_row(*row, text);
    ++written_;
    out_.maybe_flush();
  }
}

void TextWriter::commit() {
  out_.flush();
  committed_ = written_;
}

void TextWriter::close() {
  commit();
  out_.close();
}

}  // namespace sg

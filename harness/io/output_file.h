// The destination of a file writer: a file published only when complete, or a stream (stdout).
//
// A file is written under a temporary name in the same directory and renamed onto its real name
// by close(). A job that fails half-way (or a writer destroyed without close()) therefore leaves
// no file that looks complete: the temporary file is removed, and whatever was at the path before
// is untouched. rename() within one directory is atomic, so readers of the path see either the
// old file or the whole new one.
#pragma once

#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

namespace sg {

class OutputFile {
 public:
  // Creates the temporary file next to `path`. Throws SinkError naming the file and errno text.
  explicit OutputFile(std::string path);
  // Writes to `stream` (e.g. std::cout); close() only flushes it. `name` is for messages.
  OutputFile(std::ostream& stream, std::string name);
  ~OutputFile();  // removes the temporary file unless close() published it
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Writers format straight into this buffer; it is written out by flush() and, once it grows
  // past a threshold, by maybe_flush().
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Writes the buffer to the file or stream. Throws SinkError on an I/O error.
  void flush();
  // Flushes, closes and publishes the file under its name. Idempotent. Throws SinkError.
  void close();
  bool closed() const { return closed_; }

  const std::string& path() const { return path_; }
  // The temporary file's name ("" for a stream or once published).
  const std::string& temp_path() const { return temp_path_; }

 private:
  static constexpr size_t kFlushBytes = 64 * 1024;
  [[noreturn]] void fail(const char* what, int error) const;

  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  std::ostream* stream_ = nullptr;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace sg

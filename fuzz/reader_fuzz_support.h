// Shared by the reader fuzz targets: the input bytes as a file (an anonymous memory file, so
// that fuzzing writes nothing to disk), and reader options drawn from the first byte.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "harness/io/text_reader_common.h"
#include "harness/job/data_reader.h"

namespace sg::fuzz {

// An in-memory file holding `bytes`, readable through path().
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes) {
    fd_ = memfd_create("streamgauge-fuzz", 0);
    if (fd_ < 0) std::abort();
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) std::abort();
      done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// The first byte picks the options (so the fuzzer explores them too); the rest is the file.
struct FuzzInput {
  TextReaderOptions options;
  std::string_view file;
  size_t batch = 1;
};

inline FuzzInput split_input(const uint8_t* data, size_t size) {
  FuzzInput in;
  const uint8_t flags = size ? data[0] : 0;
  in.file = size ? std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)
                 : std::string_view();
  in.options.on_error = (flags & 1) ? OnError::Skip : OnError::Fail;
  in.options.buffer_bytes = (flags & 2) ? 16 : 4096;  // tiny: rows straddle every refill
  in.options.infer_rows = (flags & 4) ? 1 : 1000;
  in.batch = (flags & 8) ? 1 : 64;
  return in;
}

// A SourceError must name the file it came from.
inline void check_source_error(const SourceError& e, const std::string& path) {
  if (std::string_view(e.what()).find(path) == std::string_view::npos) std::abort();
}

// Reads to the end; the counts must add up.
template <class Reader>
void drain(Reader& reader, size_t batch_size) {
  Batch batch;
  uint64_t total = 0;
  for (;;) {
    batch.clear();
    const ReadResult r = reader.read(batch_size, batch);
    if (r.count != batch.size() || r.count > batch_size) std::abort();
    total += r.count;
    for (const RecordPtr& rec : batch) {
      if (rec->size() != reader.schema().size()) std::abort();
    }
    if (r.end_of_stream) break;
    if (r.count == 0) std::abort();  // a reader that returns nothing must say it has ended
  }
  if (total != reader.records_read()) std::abort();
  reader.commit();
  if (reader.records_committed() != total) std::abort();
}

}  // namespace sg::fuzz

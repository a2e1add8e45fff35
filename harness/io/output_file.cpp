#include "harness/io/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "harness/job/data_writer.h"

namespace sg {

OutputFile::OutputFile(std::string path) : path_(std::move(path)) {
  if (path_.empty()) throw SinkError("output path is empty");
  // mkstemp needs a writable template ending in XXXXXX; same directory, so rename is atomic.
  std::string name = path_ + ".tmp-XXXXXX";
  std::vector<char> templ(name.begin(), name.end());
  templ.push_back('\0');
  int fd = ::mkstemp(templ.data());
  if (fd < 0) fail("cannot create a temporary file next to it", errno);
  temp_path_ = templ.data();
  // mkstemp makes the file private (0600); an output is an ordinary file (0644 less the umask).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0644 & ~mask);
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    int error = errno;
    ::close(fd);
    ::unlink(temp_path_.c_str());
    fail("cannot open the temporary file", error);
  }
}

OutputFile::OutputFile(std::ostream& stream, std::string name)
    : path_(std::move(name)), stream_(&stream) {}

OutputFile::~OutputFile() {
  if (file_) std::fclose(file_);
  // Not closed: the job failed or gave up, so the partial output must not appear under path_.
  if (!closed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputFile::fail(const char* what, int error) const {
  throw SinkError(fmt::format("{}: {}: {}", path_, what, std::strerror(error)));
}

void OutputFile::flush() {
  if (closed_) throw SinkError(fmt::format("{}: written to after it was closed", path_));
  if (stream_) {
    stream_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    stream_->flush();
    buffer_.clear();
    if (!*stream_) throw SinkError(fmt::format("{}: write failed", path_));
    return;
  }
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    fail("write failed", errno);
  }
  buffer_.clear();
  if (std::fflush(file_) != 0) fail("write failed", errno);
}

void OutputFile::close() {
  if (closed_) return;
  flush();
  closed_ = true;
  if (stream_) return;
  std::FILE* f = std::exchange(file_, nullptr);
  // No fsync: this is a benchmark's output, not a database; atomic visibility is what matters.
  if (std::fclose(f) != 0) {
    closed_ = false;  // let the destructor remove the temporary file
    fail("close failed", errno);
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    closed_ = false;
    fail("cannot rename the temporary file onto it", errno);
  }
  temp_path_.clear();
}

}  // namespace sg

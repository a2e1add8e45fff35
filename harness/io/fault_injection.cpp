#include "harness/io/fault_injection.h"

#include <fmt/format.h>

#include <thread>

#include "harness/io/digest_writer.h"

namespace sg {
namespace {

class FailingReader final : public DataReader {
 public:
  FailingReader(std::unique_ptr<DataReader> inner, uint64_t fail_at)
      : inner_(std::move(inner)), fail_at_(fail_at) {}
  ReadResult read(size_t max, Batch& out) override {
    if (calls_++ == fail_at_)
      throw SourceError(fmt::format("injected fault: reader fails at batch {}", fail_at_));
    return inner_->read(max, out);
  }
  void commit() override { inner_->commit(); }
  uint64_t records_read() const override { return inner_->records_read(); }
  uint64_t records_committed() const override { return inner_->records_committed(); }

 private:
  std::unique_ptr<DataReader> inner_;
  uint64_t fail_at_;
  uint64_t calls_ = 0;
};

// Forwards everything, including the digest when the inner writer keeps one.
class WriterDecorator : public DataWriter, public DigestSource {
 public:
  explicit WriterDecorator(std::unique_ptr<DataWriter> inner) : inner_(std::move(inner)) {}
  void write(std::span<const RecordPtr> rows) override { inner_->write(rows); }
  void flush() override { inner_->flush(); }
  void commit() override { inner_->commit(); }
  uint64_t rows_written() const override { return inner_->rows_written(); }
  uint64_t rows_committed() const override { return inner_->rows_committed(); }
  Digest digest() const override {
    const auto* source = dynamic_cast<const DigestSource*>(inner_.get());
    return source ? source->digest() : Digest{};
  }

 protected:
  std::unique_ptr<DataWriter> inner_;
};

class FailingWriter final : public WriterDecorator {
 public:
  FailingWriter(std::unique_ptr<DataWriter> inner, uint64_t fail_at)
      : WriterDecorator(std::move(inner)), fail_at_(fail_at) {}
  void write(std::span<const RecordPtr> rows) override {
    if (calls_++ == fail_at_)
      throw SinkError(fmt::format("injected fault: writer fails at batch {}", fail_at_));
    inner_->write(rows);
  }

 private:
  uint64_t fail_at_;
  uint64_t calls_ = 0;
};

class SlowWriter final : public WriterDecorator {
 public:
  SlowWriter(std::unique_ptr<DataWriter> inner, std::chrono::microseconds per_batch)
      : WriterDecorator(std::move(inner)), per_batch_(per_batch) {}
  void write(std::span<const RecordPtr> rows) override {
    std::this_thread::sleep_for(per_batch_);  // the point of this writer: a slow sink
    inner_->write(rows);
  }

 private:
  std::chrono::microseconds per_batch_;
};

class FailingEngine final : public Engine {
 public:
  FailingEngine(std::unique_ptr<Engine> inner, uint64_t fail_at)
      : inner_(std::move(inner)), fail_at_(fail_at) {}
  void process(const RecordPtr& in, Batch& out) override {
    if (seen_ == fail_at_) throw_fault();
    ++seen_;
    inner_->process(in, out);
  }
  void process_batch(std::span<const RecordPtr> in, Batch& out) override {
    if (seen_ <= fail_at_ && fail_at_ < seen_ + in.size()) {
      const size_t ok = static_cast<size_t>(fail_at_ - seen_);
      inner_->process_batch(in.first(ok), out);
      seen_ += ok;
      throw_fault();
    }
    seen_ += in.size();
    inner_->process_batch(in, out);
  }
  void finish(Batch& out) override { inner_->finish(out); }
  EngineStats stats() const override { return inner_->stats(); }

 private:
  [[noreturn]] void throw_fault() const {
    throw EngineError(fmt::format("injected fault: engine fails at record {}", fail_at_));
  }
  std::unique_ptr<Engine> inner_;
  uint64_t fail_at_;
  uint64_t seen_ = 0;
};

bool selected(int partition, int wanted) {
  return wanted < 0 || partition == wanted;
}

}  // namespace

std::unique_ptr<DataReader> make_failing_reader(std::unique_ptr<DataReader> inner,
                                                uint64_t fail_at_batch) {
  return std::make_unique<FailingReader>(std::move(inner), fail_at_batch);
}
std::unique_ptr<DataWriter> make_failing_writer(std::unique_ptr<DataWriter> inner,
                                                uint64_t fail_at_batch) {
  return std::make_unique<FailingWriter>(std::move(inner), fail_at_batch);
}
std::unique_ptr<DataWriter> make_slow_writer(std::unique_ptr<DataWriter> inner,
                                             std::chrono::microseconds per_batch) {
  return std::make_unique<SlowWriter>(std::move(inner), per_batch);
}
std::unique_ptr<Engine> make_failing_engine(std::unique_ptr<Engine> inner,
                                            uint64_t fail_at_record) {
  return std::make_unique<FailingEngine>(std::move(inner), fail_at_record);
}

ReaderFactory fail_reader_at(ReaderFactory base, uint64_t batch, int partition) {
  return [base = std::move(base), batch, partition](int p, int n) {
    auto reader = base(p, n);
    return selected(p, partition) ? make_failing_reader(std::move(reader), batch)
                                  : std::move(reader);
  };
}

WriterFactory fail_writer_at(WriterFactory base, uint64_t batch, int partition) {
  return [base = std::move(base), batch, partition](int p) {
    auto writer = base(p);
    return selected(p, partition) ? make_failing_writer(std::move(writer), batch)
                                  : std::move(writer);
  };
}

WriterFactory slow_writer(WriterFactory base, std::chrono::microseconds per_batch) {
  return
      [base = std::move(base), per_batch](int p) { return make_slow_writer(base(p), per_batch); };
}

EngineWrapper fail_engine_at(uint64_t record, int partition) {
  return [record, partition](std::unique_ptr<Engine> engine, int p) {
    return selected(p, partition) ? make_failing_engine(std::move(engine), record)
                                  : std::move(engine);
  };
}

WriterFactory digest_writer_factory() {
  return [](int) -> std::unique_ptr<DataWriter> { return std::make_unique<DigestWriter>(); };
}

}  // namespace sg

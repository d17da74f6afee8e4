// PlaySink: a file stream or standard output.
#include "coolstreaming/app/play_sink.h"

#include <fstream>
#include <iostream>

namespace p2p::coolstreaming {
namespace {

class StreamSink : public PlaySink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void write(SegmentId, ByteView bytes) override {
    out_.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out_.flush();
  }

 private:
  std::ostream& out_;
};

class FileSink : public StreamSink {
 public:
  explicit FileSink(std::unique_ptr<std::ofstream> file) : StreamSink(*file), file_(std::move(file)) {}

 private:
  std::unique_ptr<std::ofstream> file_;
};

}  // namespace

Expected<std::shared_ptr<PlaySink>> PlaySink::open(const std::string& target) {
  if (target == "-") return std::shared_ptr<PlaySink>(std::make_shared<StreamSink>(std::cout));
  auto file = std::make_unique<std::ofstream>(target, std::ios::binary | std::ios::trunc);
  if (!*file) return make_error("cannot write " + target);
  return std::shared_ptr<PlaySink>(std::make_shared<FileSink>(std::move(file)));
}

}  // namespace p2p::coolstreaming

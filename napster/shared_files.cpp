// The in-memory and catalogue-backed shared folders.
#include "napster/shared_files.h"

#include <algorithm>
#include <functional>

#include "common/content/content_bytes.h"

namespace p2p::napster {
namespace {

Error not_shared(std::string_view name) {
  return make_error("\"" + std::string(name) + "\" is not shared");
}

// Keeps the downloaded bytes and hands them to `done` on commit.
class MemorySink : public FileSink {
 public:
  MemorySink(std::uint64_t size, std::function<void(Bytes)> done) : size_(size), done_(std::move(done)) {}
  Status write(ByteView data) override {
    if (bytes_.size() + data.size() > size_) return make_error("more bytes than the file's size");
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    return Ok{};
  }
  Status commit() override {
    if (bytes_.size() != size_) return make_error("file is incomplete");
    done_(std::move(bytes_));
    return Ok{};
  }

 private:
  std::uint64_t size_;
  std::function<void(Bytes)> done_;
  Bytes bytes_;
};

// Counts the bytes of a catalogue file; its content needs no storing, it can be made again from its id.
class CatalogueSink : public FileSink {
 public:
  CatalogueSink(std::uint64_t size, std::function<void()> done) : size_(size), done_(std::move(done)) {}
  Status write(ByteView data) override {
    received_ += data.size();
    return received_ <= size_ ? Status{Ok{}} : Status{make_error("more bytes than the file's size")};
  }
  Status commit() override {
    if (received_ != size_) return make_error("file is incomplete");
    done_();
    return Ok{};
  }

 private:
  std::uint64_t size_;
  std::uint64_t received_ = 0;
  std::function<void()> done_;
};

}  // namespace

void MemorySharedFiles::add(std::string name, Bytes content) {
  files_[std::move(name)] = std::move(content);
}

std::vector<SharedFile> MemorySharedFiles::list() const {
  std::vector<SharedFile> out;
  for (const auto& [name, bytes] : files_) out.push_back({name, bytes.size(), md5(bytes)});
  return out;
}

std::optional<SharedFile> MemorySharedFiles::find(std::string_view name) const {
  auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  return SharedFile{it->first, it->second.size(), md5(it->second)};
}

Expected<Bytes> MemorySharedFiles::read(std::string_view name, std::uint64_t offset,
                                        std::size_t length) const {
  auto it = files_.find(name);
  if (it == files_.end()) return not_shared(name);
  const Bytes& bytes = it->second;
  std::uint64_t start = std::min<std::uint64_t>(offset, bytes.size());
  std::uint64_t end = std::min<std::uint64_t>(start + length, bytes.size());
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(start),
               bytes.begin() + static_cast<std::ptrdiff_t>(end));
}

Expected<std::unique_ptr<FileSink>> MemorySharedFiles::create(const SharedFile& file) {
  std::unique_ptr<FileSink> sink = std::make_unique<MemorySink>(
      file.size, [this, name = file.name](Bytes bytes) { add(name, std::move(bytes)); });
  return sink;
}

CatalogueSharedFiles::CatalogueSharedFiles(const content::Catalogue& catalogue,
                                           const std::vector<std::size_t>& indices)
    : catalogue_(catalogue) {
  for (std::size_t index : indices) add(index);
}

void CatalogueSharedFiles::add(std::size_t index) {
  const content::FileEntry& entry = catalogue_.file(index);
  shared_[entry.name] = SharedFile{entry.name, entry.size, content::file_md5(entry)};
}

std::vector<SharedFile> CatalogueSharedFiles::list() const {
  std::vector<SharedFile> out;
  for (const auto& [name, file] : shared_) out.push_back(file);
  return out;
}

std::optional<SharedFile> CatalogueSharedFiles::find(std::string_view name) const {
  auto it = shared_.find(name);
  if (it == shared_.end()) return std::nullopt;
  return it->second;
}

Expected<Bytes> CatalogueSharedFiles::read(std::string_view name, std::uint64_t offset,
                                           std::size_t length) const {
  if (!shared_.contains(name)) return not_shared(name);
  return content::content_bytes(catalogue_.file(*catalogue_.find(name)), offset, length);
}

Expected<std::unique_ptr<FileSink>> CatalogueSharedFiles::create(const SharedFile& file) {
  auto index = catalogue_.find(file.name);
  if (!index || catalogue_.file(*index).size != file.size) {
    return make_error("\"" + file.name + "\" is not a file of this lab's catalogue");
  }
  std::unique_ptr<FileSink> sink = std::make_unique<CatalogueSink>(file.size, [this, i = *index] { add(i); });
  return sink;
}

}  // namespace p2p::napster

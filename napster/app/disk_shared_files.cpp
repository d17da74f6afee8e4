// The shared folder on disk: scan and hash once, read ranges, and store verified downloads.
#include "napster/app/disk_shared_files.h"

#include <functional>
#include <system_error>

#include "common/content/safe_name.h"
#include "common/util/hash.h"

namespace p2p::napster {
namespace {

namespace fs = std::filesystem;

// Streams kept open for reading; more concurrent uploads than this reopen their file now and then.
constexpr std::size_t kOpenStreams = 16;
constexpr std::size_t kHashChunk = 64 * 1024;
constexpr const char* kIncoming = ".incoming";

Expected<Md5Digest> hash_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read " + path.string());
  Md5Hasher hasher;
  Bytes chunk(kHashChunk);
  while (in) {
    in.read(reinterpret_cast<char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
    hasher.update(ByteView(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return make_error("cannot read " + path.string());
  return hasher.finish();
}

// Writes one download to FOLDER/.incoming/NAME, and moves it into the folder on commit.
class DiskSink : public FileSink {
 public:
  DiskSink(fs::path partial, fs::path final_path, std::uint64_t size, std::function<void()> done)
      : partial_(std::move(partial)),
        final_(std::move(final_path)),
        size_(size),
        out_(partial_, std::ios::binary | std::ios::trunc),
        done_(std::move(done)) {}
  ~DiskSink() override {
    if (!committed_) {
      out_.close();
      std::error_code ec;
      fs::remove(partial_, ec);
    }
  }

  bool opened() const { return out_.is_open(); }

  Status write(ByteView data) override {
    if (written_ + data.size() > size_) return make_error("more bytes than the file's size");
    out_.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out_) return make_error("cannot write " + partial_.string());
    written_ += data.size();
    return Ok{};
  }

  Status commit() override {
    if (written_ != size_) return make_error("file is incomplete");
    out_.close();
    if (!out_) return make_error("cannot write " + partial_.string());
    std::error_code ec;
    fs::rename(partial_, final_, ec);
    if (ec) return make_error("cannot move the download into the folder: " + ec.message());
    committed_ = true;
    done_();
    return Ok{};
  }

 private:
  fs::path partial_;
  fs::path final_;
  std::uint64_t size_;
  std::uint64_t written_ = 0;
  std::ofstream out_;
  std::function<void()> done_;
  bool committed_ = false;
};

}  // namespace

Expected<std::unique_ptr<DiskSharedFiles>> DiskSharedFiles::open(const fs::path& folder,
                                                                 std::uint64_t max_download_bytes) {
  std::error_code ec;
  fs::create_directories(folder / kIncoming, ec);
  if (ec) return make_error("cannot create " + (folder / kIncoming).string() + ": " + ec.message());
  std::unique_ptr<DiskSharedFiles> files(new DiskSharedFiles(folder, max_download_bytes));
  if (auto scanned = files->scan(); !scanned) return scanned.error();
  return files;
}

Status DiskSharedFiles::scan() {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with('.') || !content::check_safe_name(name).ok()) continue;
    std::error_code type_error;
    if (!entry.is_regular_file(type_error)) continue;
    auto digest = hash_file(entry.path());
    if (!digest) return digest.error();
    std::uint64_t size = entry.file_size(type_error);
    if (type_error) return make_error("cannot stat " + entry.path().string() + ": " + type_error.message());
    files_[name] = SharedFile{name, size, *digest};
  }
  if (ec) return make_error("cannot list " + folder_.string() + ": " + ec.message());
  return Ok{};
}

std::vector<SharedFile> DiskSharedFiles::list() const {
  std::vector<SharedFile> out;
  out.reserve(files_.size());
  for (const auto& [name, file] : files_) out.push_back(file);
  return out;
}

std::optional<SharedFile> DiskSharedFiles::find(std::string_view name) const {
  auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

Expected<Bytes> DiskSharedFiles::read(std::string_view name, std::uint64_t offset, std::size_t length) const {
  auto file = files_.find(name);
  if (file == files_.end()) return make_error("\"" + std::string(name) + "\" is not shared");
  auto stream = open_.find(name);
  if (stream == open_.end()) {
    if (open_.size() >= kOpenStreams) open_.clear();
    stream = open_.emplace(std::string(name), std::ifstream(folder_ / file->first, std::ios::binary)).first;
  }
  std::ifstream& in = stream->second;
  if (!in.is_open()) {
    open_.erase(stream);
    return make_error("cannot open \"" + std::string(name) + "\"");
  }
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  Bytes out(length);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(length));
  out.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    open_.erase(stream);
    return make_error("cannot read \"" + std::string(name) + "\"");
  }
  return out;
}

Expected<std::unique_ptr<FileSink>> DiskSharedFiles::create(const SharedFile& file) {
  if (auto safe = content::check_safe_name(file.name); !safe) return safe.error();
  if (file.name.starts_with('.')) return make_error("hidden names are not stored");
  if (file.size > max_download_bytes_) {
    return make_error("\"" + file.name + "\" is over the download limit of " +
                      std::to_string(max_download_bytes_) + " bytes");
  }
  auto sink = std::make_unique<DiskSink>(folder_ / kIncoming / file.name, folder_ / file.name, file.size,
                                         [this, file] {
                                           open_.erase(file.name);
                                           files_[file.name] = file;
                                         });
  if (!sink->opened()) return make_error("cannot create " + (folder_ / kIncoming / file.name).string());
  return std::unique_ptr<FileSink>(std::move(sink));
}

}  // namespace p2p::napster

// DiskStorage: pre-allocated files, pieces mapped onto them with pread and pwrite.
#include "bittorrent/app/disk_storage.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace p2p::bittorrent {
namespace {

Error refuse(const std::filesystem::path& path, const std::string& what) {
  return make_error("storage: " + what + " " + path.string() + ": " + std::strerror(errno));
}

// Sets the file to exactly `length` bytes, then asks the file system to reserve them. Some file systems
// cannot reserve (tmpfs before 2.6.x, some overlays), so only the size is required.
bool preallocate(int fd, std::int64_t length) {
  struct stat info {};
  if (fstat(fd, &info) != 0) return false;
  if (info.st_size != length && ftruncate(fd, length) != 0) return false;
  if (length > 0) (void)posix_fallocate(fd, 0, length);
  return true;
}

}  // namespace

Expected<std::unique_ptr<DiskStorage>> DiskStorage::open(const Metainfo& metainfo,
                                                         const std::filesystem::path& folder) {
  std::unique_ptr<DiskStorage> storage(new DiskStorage(metainfo));
  std::filesystem::path root = metainfo.multi_file ? folder / metainfo.name : folder;
  for (const FileEntry& entry : metainfo.files) {
    std::filesystem::path path = root;
    for (const std::string& component : entry.path) path /= component;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return make_error("storage: cannot create " + path.parent_path().string() + ": " + ec.message());
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return refuse(path, "cannot open");
    storage->files_.push_back(File{path, entry.offset, entry.length, fd});
    if (!preallocate(fd, entry.length)) return refuse(path, "cannot allocate");
  }
  return storage;
}

DiskStorage::~DiskStorage() {
  for (const File& file : files_) ::close(file.fd);
}

std::vector<std::filesystem::path> DiskStorage::paths() const {
  std::vector<std::filesystem::path> out;
  for (const File& file : files_) out.push_back(file.path);
  return out;
}

template <typename Io>
Status DiskStorage::each_part(std::int64_t offset, std::size_t length, Io&& io) {
  if (offset < 0 || offset + static_cast<std::int64_t>(length) > layout_.total_length()) {
    return make_error("storage: range past the end of the torrent");
  }
  // The first file whose last byte is at or past `offset`; zero-length files are skipped on the way.
  auto file =
      std::ranges::lower_bound(files_, offset, {}, [](const File& f) { return f.offset + f.length - 1; });
  std::size_t done = 0;
  for (; done < length && file != files_.end(); ++file) {
    std::int64_t at = offset + static_cast<std::int64_t>(done) - file->offset;
    if (at < 0 || at >= file->length) continue;
    std::size_t part = static_cast<std::size_t>(
        std::min<std::int64_t>(file->length - at, static_cast<std::int64_t>(length - done)));
    if (Status ok = io(*file, at, done, part); !ok) return ok;
    done += part;
  }
  return Ok{};
}

Status DiskStorage::read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) {
  return each_part(layout_.piece_offset(piece) + begin, out.size(),
                   [&](const File& file, std::int64_t at, std::size_t done, std::size_t part) -> Status {
                     for (std::size_t got = 0; got < part;) {
                       ssize_t n = ::pread(file.fd, out.data() + done + got, part - got,
                                           at + static_cast<off_t>(got));
                       if (n < 0 && errno == EINTR) continue;
                       if (n <= 0) return refuse(file.path, "cannot read");
                       got += static_cast<std::size_t>(n);
                     }
                     return Ok{};
                   });
}

Status DiskStorage::write_piece(PieceIndex piece, ByteView data) {
  return each_part(layout_.piece_offset(piece), data.size(),
                   [&](const File& file, std::int64_t at, std::size_t done, std::size_t part) -> Status {
                     for (std::size_t put = 0; put < part;) {
                       ssize_t n = ::pwrite(file.fd, data.data() + done + put, part - put,
                                            at + static_cast<off_t>(put));
                       if (n < 0 && errno == EINTR) continue;
                       if (n <= 0) return refuse(file.path, "cannot write");
                       put += static_cast<std::size_t>(n);
                     }
                     return Ok{};
                   });
}

}  // namespace p2p::bittorrent

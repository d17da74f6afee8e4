// DiskStorage: a torrent's files on disk, pre-allocated, read and written by piece (used by bt-peer's main).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "bittorrent/metainfo.h"
#include "bittorrent/storage.h"

namespace p2p::bittorrent {

// The torrent's files under a download folder, laid out as every client does: `folder/name` for a single
// file, `folder/name/<path...>` for a multi-file torrent (paths were checked safe by parse_metainfo). Files
// are created and pre-allocated to their full length when opened, so a piece is written where it belongs
// whatever order pieces arrive in; a piece that spans files is split across them with pread/pwrite.
class DiskStorage : public Storage {
 public:
  // Opens (creating as needed) every file of the torrent; fails with a reason naming the file.
  static Expected<std::unique_ptr<DiskStorage>> open(const Metainfo& metainfo,
                                                     const std::filesystem::path& folder);
  ~DiskStorage() override;
  DiskStorage(const DiskStorage&) = delete;
  DiskStorage& operator=(const DiskStorage&) = delete;

  Status read(PieceIndex piece, std::uint32_t begin, std::span<std::uint8_t> out) override;
  Status write_piece(PieceIndex piece, ByteView data) override;

  // Where each file of the torrent lives, in torrent order.
  std::vector<std::filesystem::path> paths() const;

 private:
  struct File {
    std::filesystem::path path;
    std::int64_t offset;  // in the concatenation
    std::int64_t length;
    int fd;
  };
  DiskStorage(const Metainfo& metainfo) : layout_(metainfo.layout()) {}
  // Calls io(fd, position in file, part of `length` bytes) for each file that [offset, offset + length)
  // touches.
  template <typename Io>
  Status each_part(std::int64_t offset, std::size_t length, Io&& io);

  TorrentLayout layout_;
  std::vector<File> files_;
};

}  // namespace p2p::bittorrent

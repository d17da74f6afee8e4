// Synthetic content: a deterministic file and its torrent, made from a seed, for labs and tests.
#pragma once

#include <cstdint>
#include <string>

#include "bittorrent/metainfo.h"
#include "bittorrent/storage.h"

namespace p2p::bittorrent {

// A lab's file, described instead of stored: every peer given the same description computes the same bytes
// (common/content's counter-mode generator) and so the same torrent and info-hash, without a file to hand
// out.
struct SyntheticContent {
  std::string name = "synthetic.bin";
  std::int64_t size = std::int64_t{16} << 20;
  std::int64_t piece_length = std::int64_t{256} << 10;
  std::uint64_t content_seed = 1;
  std::string announce;
};

// Reads the synthetic bytes, as make_metainfo and a seed's storage want them.
ContentReader synthetic_reader(std::uint64_t content_seed);
// The whole content in memory (a seed's MemoryStorage).
Bytes synthetic_bytes(const SyntheticContent& content);
// The single-file torrent of the content.
Expected<Bytes> make_synthetic_torrent(const SyntheticContent& content);
// Whether every byte in `storage` equals the generator's: a check of a finished download that does not
// trust the torrent's piece hashes (a lab's "corrupt files" figure), since the generator is the original.
bool matches_synthetic(Storage& storage, const TorrentLayout& layout, std::uint64_t content_seed);

}  // namespace p2p::bittorrent

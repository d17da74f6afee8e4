// Metainfo (.torrent files, BEP 3): parsing single- and multi-file torrents, the info-hash, and making
// torrents.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bittorrent/piece_set.h"
#include "bittorrent/torrent_layout.h"
#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"
#include "common/util/hash.h"

namespace p2p::bittorrent {

// Caps on what a torrent may describe, beyond bencode's own limits.
inline constexpr std::int64_t kMaxPieceLength = std::int64_t{64}
                                                << 20;  // the storage holds one piece to hash it
inline constexpr std::int64_t kMaxTotalLength = std::int64_t{1}
                                                << 50;  // 1 PiB: sums of lengths never overflow

// One file of the torrent, placed in the concatenation of all files that pieces are cut from (BEP 3:
// "the file list ... concatenated in the order they appear").
struct FileEntry {
  // Path components below the torrent's folder (multi-file), or just {name} (single-file); each is a safe
  // name.
  std::vector<std::string> path;
  std::int64_t length = 0;
  std::int64_t offset = 0;  // of its first byte in the concatenation
};

// A parsed torrent. Unknown keys (private, comment, md5sum, ...) are ignored but still count in the
// info-hash, because the hash is taken over the raw `info` bytes.
struct Metainfo {
  std::string announce;  // empty for a trackerless torrent (BEP 5), whose peers come from the DHT
  std::vector<std::vector<std::string>> announce_list;  // BEP 12 tiers; empty when absent
  // BEP 5: "a trackerless torrent dictionary ... has a nodes key", [["<host>", <port>], ...]: DHT nodes to
  // join through. A host may be a name; empty when absent.
  std::vector<Endpoint> nodes;
  std::string name;
  std::int64_t piece_length = 0;
  std::vector<Sha1Digest> piece_hashes;
  bool multi_file = false;
  std::vector<FileEntry> files;
  std::int64_t total_length = 0;
  Sha1Digest info_hash{};
  Bytes info;  // the raw bencoded info dictionary, as hashed: BEP 9 serves it as the torrent's metadata

  TorrentLayout layout() const { return TorrentLayout(total_length, piece_length); }
  std::uint32_t piece_count() const { return static_cast<std::uint32_t>(piece_hashes.size()); }
  // BEP 3: the last piece holds whatever is left, so it may be shorter.
  std::uint32_t piece_size(PieceIndex piece) const { return layout().piece_size(piece); }
};

// Parses a .torrent. Refuses it, with the reason, when bencode is malformed, a required key is missing or of
// the wrong type (`announce` is not required: a trackerless torrent has none), a `nodes` entry is not a host
// and a port 1-65535, `pieces` is not a multiple of 20 or does not match the total length, a length is
// negative, or a path is unsafe to create inside a download folder (absolute, "..", ".", empty, NUL, a
// separator inside a component), or two files would land on the same path.
Expected<Metainfo> parse_metainfo(ByteView torrent);

// --- Making torrents (bt-maketorrent wraps this; it keeps file reading out of the unit) ---

struct SourceFile {
  std::vector<std::string> path;  // below the torrent's folder; empty for a single-file torrent
  std::int64_t length = 0;
};

struct TorrentSpec {
  std::string announce;         // empty: a trackerless torrent, found through the DHT (BEP 5)
  std::vector<Endpoint> nodes;  // BEP 5's `nodes`: DHT nodes to join through
  std::vector<std::vector<std::string>> announce_list;  // optional BEP 12 tiers
  std::string name;  // the file (single-file) or the top folder (multi-file)
  std::int64_t piece_length = std::int64_t{256} << 10;
  // One file with an empty path makes a single-file torrent called `name`; otherwise every file needs a path.
  std::vector<SourceFile> files;
  std::string comment;
  std::string created_by = "p2plab";
  std::optional<std::int64_t>
      creation_date;        // seconds since 1970; the caller reads the clock, if it wants one
  bool is_private = false;  // BEP 27
};

// Fills `out` with the bytes of file `file` (an index into TorrentSpec::files) starting at `offset`; called
// in order, file by file, with `out` never past the file's end.
using ContentReader =
    std::function<Status(std::size_t file, std::int64_t offset, std::span<std::uint8_t> out)>;

// A reader over contents already in memory, one view per file (tests, and small synthetic labs).
ContentReader memory_reader(std::vector<ByteView> contents);

// The bencoded torrent for `spec`, hashing the content piece by piece as `read` supplies it. The piece length
// must be a power of two.
Expected<Bytes> make_metainfo(const TorrentSpec& spec, const ContentReader& read);

}  // namespace p2p::bittorrent

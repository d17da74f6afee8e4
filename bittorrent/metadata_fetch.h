// MetadataFetch: a magnet peer's ut_metadata side (BEP 9): which connections can give the info dictionary,
// which pieces to ask of whom, and what to do when the whole fails its hash.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "bittorrent/connection_table.h"
#include "bittorrent/extension/extension_handshake.h"
#include "bittorrent/extension/metadata_assembler.h"
#include "common/node/core.h"

namespace p2p::bittorrent {

struct MetadataFetchConfig {
  Sha1Digest info_hash{};  // the magnet link's
  // A source that leaves a request unanswered this long is closed, and its pieces asked of another.
  Duration request_timeout = std::chrono::seconds(10);
  std::size_t requests_per_source = 4;  // metadata pieces asked of one connection at a time
};

// Fetches the metadata from the connections whose extension handshake offers ut_metadata with a
// metadata_size, into a MetadataAssembler sized by the first of them. The info-hash can only check the whole,
// so when it fails: a round fed by one source closes that source ("corrupt metadata"), counted; a round fed
// by several cannot tell which lied, so from then on each round asks a single source for every piece, and
// the bad one is found and closed in at most one round per source. A source that sends a malformed message
// is closed; one that rejects a request is asked no more.
class MetadataFetch {
 public:
  MetadataFetch(Runtime& runtime, MetadataFetchConfig config, ConnectionTable& table,
                std::function<void()> on_complete);

  // The remote's extension handshake, or a later extended message under our ut_metadata id.
  void on_handshake(PeerConnection& conn, const extension::ExtensionHandshake& theirs);
  void on_message(PeerConnection& conn, ByteView payload);
  // The connection is gone: its requests are asked of others.
  void forget(ConnId conn);
  // Closes sources whose requests timed out (called every maintenance period).
  void check_timeouts();

  bool complete() const { return assembler_ && assembler_->complete(); }
  ByteView metadata() const { return assembler_->metadata(); }
  nlohmann::json status() const;

 private:
  struct Source {
    std::uint8_t id = 0;  // the extended id it gave ut_metadata
    std::size_t metadata_size = 0;
    std::vector<std::uint32_t> asked;
    TimePoint asked_at{};
    bool rejected = false;  // said it does not have the metadata
  };

  void on_data(PeerConnection& conn, const extension::MetadataData& data);
  void on_corrupt_round();
  void request_more();
  bool usable(ConnId id, const Source& source) const;

  Runtime& runtime_;
  MetadataFetchConfig config_;
  ConnectionTable& table_;
  std::function<void()> on_complete_;
  std::optional<extension::MetadataAssembler> assembler_;
  std::map<ConnId, Source> sources_;
  std::vector<std::optional<ConnId>> sent_by_;  // per metadata piece held this round
  bool one_source_ = false;                     // after a corrupt round with several sources
  std::optional<ConnId> solo_;
  std::uint64_t corrupt_rounds_ = 0, corrupt_sources_ = 0, rejects_ = 0;
};

}  // namespace p2p::bittorrent

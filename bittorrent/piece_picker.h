// PiecePicker: which 16 KiB blocks to request next, and from whom (random first, rarest first, endgame).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "bittorrent/piece_set.h"
#include "bittorrent/torrent_layout.h"
#include "common/util/ids.h"
#include "common/util/random.h"

namespace p2p::bittorrent {

enum class PickStrategy {
  RarestFirst,  // the fewest copies in the swarm first, ties at random (mainline, BEP 3's "rarest first")
  Random,       // any missing piece: the baseline rarest first is measured against
  Sequential,   // lowest index first, like a streaming player: shows why the swarm starves without rarity
};

struct PickerConfig {
  PickStrategy strategy = PickStrategy::RarestFirst;
  // Endgame: once every missing block is asked of someone, ask the rest of the peers too, so the download
  // does not wait on the slowest peer for its last blocks.
  bool endgame = true;
  // Pieces started at random before rarest first takes over (mainline: until the first piece completes). A
  // newcomer needs a whole piece quickly to have something to trade, and rare pieces come slowly.
  std::size_t random_first_pieces = 1;
};

// One block of one piece; its bytes are [begin(), begin() + TorrentLayout::block_size()) of the piece.
struct BlockRef {
  PieceIndex piece;
  std::uint32_t block = 0;

  std::uint32_t begin() const { return block * kBlockSize; }
  friend auto operator<=>(const BlockRef&, const BlockRef&) = default;
};

// What a received block means for the core.
struct BlockArrival {
  enum class Verdict {
    Accepted,   // write it
    Duplicate,  // already have it (an endgame race, or a cancel that came too late): drop it
    Unexpected  // a piece we are not downloading: nobody asked for it
  };
  Verdict verdict = Verdict::Unexpected;
  bool piece_complete = false;  // every block of the piece is in: check its SHA-1 now
  std::vector<ConnId> cancel;   // other peers asked for this block in endgame: send them a cancel
};

// Decides the download order of one torrent (BEP 3 "piece selection"; Cohen, "Incentives Build Robustness in
// BitTorrent", 2003). It tracks how many peers have each piece (from bitfield and have messages, and
// departures), which pieces we have, and, for each started piece, which blocks are asked of which peers and
// which arrived. For a peer it picks, in order:
//   1. strict priority: the missing blocks of pieces already started, oldest first, so whole pieces complete
//      and can be shared;
//   2. new pieces by the strategy: random for the first piece(s), then rarest first (ties at random);
//   3. in endgame, blocks already asked of other peers (and reports the duplicates to cancel on arrival).
// Pure: peers are ConnIds, randomness comes from the Rng passed in, and nothing here touches the network.
class PiecePicker {
 public:
  explicit PiecePicker(const TorrentLayout& layout, PickerConfig config = {});

  // --- The swarm ---
  void add_peer_pieces(const PieceSet& pieces);     // a bitfield message
  void add_peer_piece(PieceIndex piece);            // a have message for a piece the peer did not have
  void remove_peer_pieces(const PieceSet& pieces);  // the peer left with these pieces
  std::uint32_t availability(PieceIndex piece) const { return availability_[piece.value]; }
  std::span<const std::uint32_t> availability() const { return availability_; }

  // --- Our pieces ---
  // The piece passed its SHA-1 check: downloaded just now, or found on disk at start-up.
  void mark_have(PieceIndex piece);
  // The piece failed its SHA-1 check: all its blocks are fetched again. Returns the peers that sent its
  // blocks, so the core can count a strike against each (and ban repeat offenders).
  std::vector<ConnId> piece_failed(PieceIndex piece);
  const PieceSet& have() const { return have_; }
  bool complete() const { return have_.all(); }
  bool in_endgame() const;

  // --- Requests ---
  // Up to `max_blocks` blocks to request from `peer`, which has `peer_pieces`; each is recorded as asked of
  // it.
  std::vector<BlockRef> pick(ConnId peer, const PieceSet& peer_pieces, std::size_t max_blocks, Rng& rng);
  // A block arrived from `from`. It is accepted from any peer while its piece is being downloaded.
  BlockArrival on_block(ConnId from, BlockRef block);
  // The request will not be served (we cancelled it, or the peer rejected it): the block is free again.
  void cancel_request(ConnId peer, BlockRef block);
  // The peer choked us or left: BEP 3 says a choke drops every pending request, so they are all free again.
  void drop_requests(ConnId peer);

 private:
  struct BlockState {
    std::vector<ConnId> asked;  // more than one only in endgame
    ConnId sender;              // who delivered it, once received
    bool received = false;
  };
  // A started piece: strict priority keeps these few, and they are scanned linearly.
  struct Download {
    PieceIndex piece;
    std::vector<BlockState> blocks;
    std::uint32_t received = 0;
    std::uint32_t unasked = 0;  // neither received nor asked of anyone
  };

  Download* find_download(PieceIndex piece);
  Download& start_download(PieceIndex piece);
  void finish_download(PieceIndex piece);
  bool is_candidate(PieceIndex piece, const PieceSet& peer_pieces) const;
  // A piece to start that the peer has, by the strategy in force; piece_count() when there is none.
  std::uint32_t choose_new_piece(const PieceSet& peer_pieces, Rng& rng) const;
  void take_unasked(Download& download, ConnId peer, std::size_t max_blocks, std::vector<BlockRef>& out);
  void take_endgame(Download& download, ConnId peer, std::size_t max_blocks, std::vector<BlockRef>& out);
  void forget_request(BlockState& block, Download& download, ConnId peer);

  TorrentLayout layout_;
  PickerConfig config_;
  std::vector<std::uint32_t> availability_;
  PieceSet have_;
  std::vector<bool> started_;
  std::uint32_t unstarted_;          // pieces neither had nor started
  std::vector<Download> downloads_;  // in the order they were started
};

}  // namespace p2p::bittorrent

// PiecePicker: strict priority, random first piece, rarest first and endgame over 16 KiB blocks.
#include "bittorrent/piece_picker.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace p2p::bittorrent {

PiecePicker::PiecePicker(const TorrentLayout& layout, PickerConfig config)
    : layout_(layout),
      config_(config),
      availability_(layout.piece_count(), 0),
      have_(layout.piece_count()),
      started_(layout.piece_count(), false),
      unstarted_(layout.piece_count()) {}

void PiecePicker::add_peer_pieces(const PieceSet& pieces) {
  assert(pieces.size() == availability_.size());
  if (pieces.none()) return;
  for (std::uint32_t i = 0; i < availability_.size(); ++i) {
    if (pieces.has(PieceIndex(i))) ++availability_[i];
  }
}

void PiecePicker::add_peer_piece(PieceIndex piece) {
  ++availability_[piece.value];
}

void PiecePicker::remove_peer_pieces(const PieceSet& pieces) {
  assert(pieces.size() == availability_.size());
  if (pieces.none()) return;
  for (std::uint32_t i = 0; i < availability_.size(); ++i) {
    if (pieces.has(PieceIndex(i))) {
      assert(availability_[i] > 0);
      --availability_[i];
    }
  }
}

void PiecePicker::mark_have(PieceIndex piece) {
  if (have_.has(piece)) return;
  if (started_[piece.value]) {
    finish_download(piece);
  } else {
    --unstarted_;
  }
  have_.insert(piece);
}

std::vector<ConnId> PiecePicker::piece_failed(PieceIndex piece) {
  std::vector<ConnId> senders;
  Download* download = find_download(piece);
  if (download == nullptr) return senders;
  for (const BlockState& block : download->blocks) {
    if (block.received && std::ranges::find(senders, block.sender) == senders.end())
      senders.push_back(block.sender);
  }
  finish_download(piece);
  ++unstarted_;
  return senders;
}

bool PiecePicker::in_endgame() const {
  if (!config_.endgame || unstarted_ > 0 || complete()) return false;
  return std::ranges::all_of(downloads_, [](const Download& d) { return d.unasked == 0; });
}

std::vector<BlockRef> PiecePicker::pick(ConnId peer, const PieceSet& peer_pieces, std::size_t max_blocks,
                                        Rng& rng) {
  std::vector<BlockRef> out;
  for (Download& download : downloads_) {
    if (out.size() == max_blocks) return out;
    if (peer_pieces.has(download.piece)) take_unasked(download, peer, max_blocks, out);
  }
  while (out.size() < max_blocks && unstarted_ > 0) {
    std::uint32_t piece = choose_new_piece(peer_pieces, rng);
    if (piece == layout_.piece_count()) break;
    take_unasked(start_download(PieceIndex(piece)), peer, max_blocks, out);
  }
  if (out.size() < max_blocks && in_endgame()) {
    for (Download& download : downloads_) {
      if (peer_pieces.has(download.piece)) take_endgame(download, peer, max_blocks, out);
    }
  }
  return out;
}

BlockArrival PiecePicker::on_block(ConnId from, BlockRef ref) {
  BlockArrival arrival;
  if (have_.has(ref.piece)) {
    arrival.verdict = BlockArrival::Verdict::Duplicate;
    return arrival;
  }
  Download* download = find_download(ref.piece);
  if (download == nullptr || ref.block >= download->blocks.size()) return arrival;  // Unexpected
  BlockState& block = download->blocks[ref.block];
  if (block.received) {
    arrival.verdict = BlockArrival::Verdict::Duplicate;
    return arrival;
  }
  if (block.asked.empty()) --download->unasked;
  for (ConnId other : block.asked) {
    if (other != from) arrival.cancel.push_back(other);
  }
  block.asked.clear();
  block.received = true;
  block.sender = from;
  ++download->received;
  arrival.verdict = BlockArrival::Verdict::Accepted;
  arrival.piece_complete = download->received == download->blocks.size();
  return arrival;
}

void PiecePicker::cancel_request(ConnId peer, BlockRef ref) {
  Download* download = find_download(ref.piece);
  if (download == nullptr || ref.block >= download->blocks.size()) return;
  forget_request(download->blocks[ref.block], *download, peer);
}

void PiecePicker::drop_requests(ConnId peer) {
  for (Download& download : downloads_) {
    for (BlockState& block : download.blocks) forget_request(block, download, peer);
  }
}

PiecePicker::Download* PiecePicker::find_download(PieceIndex piece) {
  if (piece.value >= started_.size() || !started_[piece.value]) return nullptr;
  auto it = std::ranges::find_if(downloads_, [piece](const Download& d) { return d.piece == piece; });
  assert(it != downloads_.end());
  return &*it;
}

PiecePicker::Download& PiecePicker::start_download(PieceIndex piece) {
  assert(!started_[piece.value] && !have_.has(piece));
  started_[piece.value] = true;
  --unstarted_;
  std::uint32_t blocks = layout_.block_count(piece);
  return downloads_.emplace_back(Download{piece, std::vector<BlockState>(blocks), 0, blocks});
}

void PiecePicker::finish_download(PieceIndex piece) {
  started_[piece.value] = false;
  std::erase_if(downloads_, [piece](const Download& d) { return d.piece == piece; });
}

bool PiecePicker::is_candidate(PieceIndex piece, const PieceSet& peer_pieces) const {
  return !started_[piece.value] && !have_.has(piece) && peer_pieces.has(piece);
}

std::uint32_t PiecePicker::choose_new_piece(const PieceSet& peer_pieces, Rng& rng) const {
  const std::uint32_t none = layout_.piece_count();
  PickStrategy strategy = config_.strategy;
  if (strategy == PickStrategy::RarestFirst && have_.count() < config_.random_first_pieces) {
    strategy = PickStrategy::Random;
  }
  if (strategy == PickStrategy::Sequential) {
    for (std::uint32_t i = 0; i < none; ++i) {
      if (is_candidate(PieceIndex(i), peer_pieces)) return i;
    }
    return none;
  }
  // One pass with reservoir sampling: among the best candidates seen so far (all of them for Random, the
  // least available for RarestFirst), each of the n ties is kept with probability 1/n.
  std::uint32_t chosen = none;
  std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
  std::uint64_t ties = 0;
  for (std::uint32_t i = 0; i < none; ++i) {
    if (!is_candidate(PieceIndex(i), peer_pieces)) continue;
    std::uint32_t rank = strategy == PickStrategy::RarestFirst ? availability_[i] : 0;
    if (rank < best) {
      best = rank;
      ties = 0;
    }
    if (rank == best && rng.below(++ties) == 0) chosen = i;
  }
  return chosen;
}

void PiecePicker::take_unasked(Download& download, ConnId peer, std::size_t max_blocks,
                               std::vector<BlockRef>& out) {
  for (std::uint32_t b = 0; b < download.blocks.size() && download.unasked > 0 && out.size() < max_blocks;
       ++b) {
    BlockState& block = download.blocks[b];
    if (block.received || !block.asked.empty()) continue;
    block.asked.push_back(peer);
    --download.unasked;
    out.push_back(BlockRef{download.piece, b});
  }
}

void PiecePicker::take_endgame(Download& download, ConnId peer, std::size_t max_blocks,
                               std::vector<BlockRef>& out) {
  for (std::uint32_t b = 0; b < download.blocks.size() && out.size() < max_blocks; ++b) {
    BlockState& block = download.blocks[b];
    if (block.received || std::ranges::find(block.asked, peer) != block.asked.end()) continue;
    block.asked.push_back(peer);
    out.push_back(BlockRef{download.piece, b});
  }
}

void PiecePicker::forget_request(BlockState& block, Download& download, ConnId peer) {
  if (std::erase(block.asked, peer) > 0 && block.asked.empty() && !block.received) ++download.unasked;
}

}  // namespace p2p::bittorrent

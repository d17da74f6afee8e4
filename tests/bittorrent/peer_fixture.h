// PeerTest: a Peer core on a FakeRuntime, with a synthetic torrent, remote peers that connect to it, and what
// it sent them decoded.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "bittorrent/memory_storage.h"
#include "bittorrent/peer.h"
#include "bittorrent/synthetic_content.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {

using p2p::testing::FakeRuntime;

class PeerTest : public ::testing::Test {
 protected:
  PeerTest() { config_.min_pipeline = 4; }  // the default torrent's 4 blocks asked of a peer at once

  // A torrent of `pieces` pieces of `blocks` 16 KiB blocks each (4 of one by default); the peer under test
  // is a seed or starts empty, with config_ as the test left it.
  void start(bool seed, PickerConfig picker = {}, std::uint32_t pieces = 4, std::uint32_t blocks = 1) {
    SyntheticContent content;
    content.size = std::uint64_t{pieces} * blocks * kBlockSize;
    content.piece_length = blocks * kBlockSize;
    content.announce = "http://127.0.0.1:1/announce";
    metainfo_ = std::make_shared<const Metainfo>(*parse_metainfo(*make_synthetic_torrent(content)));
    PeerConfig config = config_;
    config.metainfo = metainfo_;
    config.picker = picker;
    original_ = synthetic_bytes(content);
    config.storage = seed ? std::make_shared<MemoryStorage>(metainfo_->layout(), original_)
                          : std::make_shared<MemoryStorage>(metainfo_->layout());
    if (seed) config.have = PieceSet::full(pieces);
    peer_ = std::make_unique<Peer>(runtime_, config);
    runtime_.attach(*peer_);
    peer_->on_start();
  }

  // An inbound connection from `from` that has sent a handshake for `info_hash` (the torrent's by default),
  // from a peer whose id is `id` repeated, with BEP 10's bit if `extensions`.
  ConnId connect(std::optional<Sha1Digest> info_hash = std::nullopt, char id = 'r', bool extensions = false,
                 Endpoint from = {"127.0.0.9", 0}) {
    ConnId conn = runtime_.accept(*peer_, from);
    PeerId remote{};
    remote.fill(static_cast<std::uint8_t>(id));
    Handshake handshake{{}, info_hash.value_or(metainfo_->info_hash), remote};
    if (extensions) announce_extension_protocol(handshake);
    peer_->on_frame(conn, encode_handshake(handshake));
    return conn;
  }
  void send(ConnId conn, const Message& message) { peer_->on_frame(conn, encode_message(message)); }
  std::string closed(ConnId conn) {
    runtime_.advance(Duration{0});
    return runtime_.closed.contains(conn) ? runtime_.closed[conn] : "";
  }
  // The messages the peer sent on `conn` since last asked (after its handshake).
  std::vector<Bytes> messages(ConnId conn) {
    std::vector<Bytes> out;
    for (Bytes& bytes : runtime_.take_sent(conn)) {
      if (bytes.size() == kHandshakeSize && bytes[0] == 19) continue;
      ByteView rest = bytes;
      while (rest.size() >= 4) {
        std::size_t length =
            4 + (std::size_t{rest[0]} << 24 | std::size_t{rest[1]} << 16 | rest[2] << 8 | rest[3]);
        out.emplace_back(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(length));
        rest = rest.subspan(length);
      }
    }
    return out;
  }

  // The messages of one kind among those the peer sent on `conn` since last asked.
  template <typename T>
  std::vector<T> messages_of(ConnId conn) {
    std::vector<T> out;
    for (const Bytes& bytes : messages(conn)) {
      auto message = decode_message(bytes);
      if (message && std::holds_alternative<T>(*message)) out.push_back(std::get<T>(*message));
    }
    return out;
  }

  // The extended messages the peer sent on `conn` since last asked: each extended id with its payload.
  std::vector<std::pair<std::uint8_t, Bytes>> extended(ConnId conn) {
    std::vector<std::pair<std::uint8_t, Bytes>> out;
    for (const Bytes& bytes : messages(conn)) {
      auto message = decode_message(bytes);
      if (!message || !std::holds_alternative<Extended>(*message)) continue;
      const Extended& extended = std::get<Extended>(*message);
      out.emplace_back(extended.extended_id, Bytes(extended.payload.begin(), extended.payload.end()));
    }
    return out;
  }

  FakeRuntime runtime_;
  PeerConfig config_;
  std::shared_ptr<const Metainfo> metainfo_;
  Bytes original_;  // the torrent's content
  std::unique_ptr<Peer> peer_;
};

}  // namespace p2p::bittorrent

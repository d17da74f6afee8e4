// FakeConnectionTable: a ConnectionTable for unit tests of one side of a peer (Uploader, Downloader).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bittorrent/connection_table.h"
#include "bittorrent/wire.h"
#include "common/node/core.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent {

// Sends go to the runtime (a FakeRuntime records them); closes and bans are remembered here, and a closed
// connection leaves the table as it does in a Peer.
class FakeConnectionTable : public ConnectionTable {
 public:
  explicit FakeConnectionTable(Runtime& runtime) : runtime_(runtime) {}

  // A connection past its handshake, choking and not interested both ways, to a peer with no pieces yet.
  PeerConnection& add(ConnId id, std::size_t piece_count) {
    auto [it, fresh] =
        conns_.try_emplace(id, id, true, Endpoint{"127.0.0.9", 0}, piece_count, runtime_.now());
    it->second.stage = PeerConnection::Stage::Active;
    return it->second;
  }

  ConnectionMap& all() override { return conns_; }
  void send(PeerConnection& conn, Bytes bytes) override { runtime_.send(conn.id, std::move(bytes)); }
  void close(PeerConnection& conn, const std::string& reason) override {
    closed[conn.id] = reason;
    conns_.erase(conn.id);
  }
  void ban(PeerConnection& conn, const std::string& reason) override {
    banned.insert(conn.id);
    close(conn, reason);
  }

  std::map<ConnId, std::string> closed;
  std::set<ConnId> banned;

 private:
  Runtime& runtime_;
  ConnectionMap conns_;
};

// The BEP 3 messages sent on `conn` since last asked, one frame each (a send may carry several), and how many
// sends carried them.
struct SentMessages {
  std::vector<Bytes> frames;
  std::size_t sends = 0;

  // The messages of one kind among them; views into the frames, so use them while this lives.
  template <typename T>
  std::vector<T> of() const {
    std::vector<T> out;
    for (const Bytes& frame : frames) {
      auto message = decode_message(frame);
      if (message && std::holds_alternative<T>(*message)) out.push_back(std::get<T>(*message));
    }
    return out;
  }
};

inline SentMessages take_messages(p2p::testing::FakeRuntime& runtime, ConnId conn) {
  SentMessages out;
  for (const Bytes& bytes : runtime.take_sent(conn)) {
    ++out.sends;
    for (ByteView rest = bytes; rest.size() >= 4;) {
      std::size_t length =
          4 + (std::size_t{rest[0]} << 24 | std::size_t{rest[1]} << 16 | rest[2] << 8 | rest[3]);
      out.frames.emplace_back(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(length));
      rest = rest.subspan(length);
    }
  }
  return out;
}

}  // namespace p2p::bittorrent

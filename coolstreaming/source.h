// The CoolStreaming source: the origin of the live stream and the overlay's rendezvous.
#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include "common/node/core.h"
#include "coolstreaming/gossip.h"
#include "coolstreaming/join_gate.h"
#include "coolstreaming/node_wire.h"
#include "coolstreaming/partnership.h"
#include "coolstreaming/pending_inbound.h"
#include "coolstreaming/segment_store.h"
#include "coolstreaming/tree_registry.h"

namespace p2p::coolstreaming {

struct SourceConfig {
  std::uint32_t bitrate_kbps = 500;  // DONet's stream (Zhang et al., INFOCOM 2005, section 4)
  std::uint32_t segment_ms = 1000;
  std::uint16_t window = kDefaultWindow;
  // The source serves only a few partners (DONet, section 3.A: the origin is one node of the overlay, not a
  // server for all), so the stream must spread from them; it keeps the ones that upload most.
  std::size_t max_partners = 4;
  JoinGateConfig joins;
  GossipConfig gossip;
  Duration period = std::chrono::seconds(1);          // buffer maps to partners
  Duration announce_every = std::chrono::seconds(5);  // own membership message to the partners
  std::uint32_t upload_kbps = 10'000;  // advertised to partners; bounds what it queues for them
  // An inbound connection that has sent no first message by then is closed (pending_inbound.h). p2plab's
  // own bound, a few round trips of the slowest lab link, like Gnutella's handshake timeout.
  Duration hello_timeout = std::chrono::seconds(10);
  // The bytes of segment s, `size` of them; an empty answer ends the stream (the end of an --input file).
  // Unset: the synthetic stream (coolstreaming/stream_bytes.h).
  std::function<Bytes(SegmentId, std::size_t)> payload;
};

// The origin (DONet, section 3.A): it cuts the stream into a segment every segment_ms and offers them to its
// partners like any node, through buffer maps and requests. As the rendezvous it admits newcomers up to its
// join capacity (JoinRefused with a retry-after beyond it), subscribes each to its mCache and redirects it to
// a deputy picked at random from that mCache, which hands out partner candidates. Like any member it
// announces itself to its partners, so it is a partner candidate in the mCaches and a full source's slots
// are refilled after a partner leaves. A newcomer that joins
// the tree baseline is placed under a parent instead (TreeRegistry), the source being the root with
// max_partners children, to whom it pushes every segment. A Join of role Server is the hybrid assist
// server: it is pushed every segment too, and named to each mesh newcomer as the assist.
// Telemetry: `rejected` events; status {partners, children, video_bytes_sent, requests_duplicate,
// refused_joins, newest} (coolstreaming/PROTOCOL.md, "Telemetry").
class Source : public Core {
 public:
  Source(Runtime& runtime, SourceConfig config);

  std::string_view system() const override { return "coolstreaming"; }
  std::string_view role() const override { return "source"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // Nothing to say on leaving: clients see the connection close, so the node ends at once.
  void on_leave() override { runtime_.stop(); }
  nlohmann::json status() const override;

  const SegmentStore& store() const { return store_; }
  const Partnership& partners() const { return partners_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  void produce();
  void tick();
  void on_join(ConnId conn, const Join& join);
  void on_partner_request(ConnId conn, const PartnerRequest& request);
  bool takes_partner(std::uint32_t upload_kbps) const;
  void on_segment_request(ConnId conn, const SegmentRequestMessage& request);
  void on_tree_attach(ConnId conn, const TreeAttach& attach);
  std::optional<Endpoint> place_in_tree(const Endpoint& newcomer, const Join& join);

  Runtime& runtime_;
  SourceConfig config_;
  Endpoint self_;
  SegmentStore store_;
  JoinGate joins_;
  Gossip gossip_;
  Partnership partners_;
  TreeRegistry tree_;
  std::map<ConnId, Endpoint> children_;  // in the tree: its children's connections, and where they listen
  std::optional<ConnId> server_;         // the hybrid assist server's connection, fed every segment
  Endpoint assist_{"0.0.0.0", 0};        // where it listens; port 0 without one
  PendingInbound inbound_;               // connections not yet partners, children or the assist server
  SegmentId next_ = 0;
  bool ended_ = false;
  TimerId produce_timer_;
  ReceivedBytes received_;
  std::uint64_t video_bytes_sent_ = 0;
  std::uint64_t requests_duplicate_ = 0;  // segments asked for again by the partner they were sent to
  std::uint64_t rejected_ = 0;
};

}  // namespace p2p::coolstreaming

// The CoolStreaming peer: DONet's node, joining through the rendezvous and swarming the stream with partners.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "common/node/core.h"
#include "coolstreaming/gossip.h"
#include "coolstreaming/join_attempts.h"
#include "coolstreaming/join_gate.h"
#include "coolstreaming/node_wire.h"
#include "coolstreaming/partnership.h"
#include "coolstreaming/pending_inbound.h"
#include "coolstreaming/player.h"
#include "coolstreaming/scheduler.h"
#include "coolstreaming/segment_store.h"

namespace p2p::coolstreaming {

struct PeerConfig {
  Endpoint source;  // the rendezvous
  // DONet's mesh, or the multicast-tree baseline (--overlay tree): a parent pushes every segment.
  Overlay overlay = Overlay::Mesh;
  // Hybrid assist (seed 001, Spotify): with a server, a peer whose stream buffered ahead of the play point
  // falls below this stops uploading, so its own playback gets its link's attention. One second means the
  // next segment is missing: "very low". Higher thresholds cost more than they save when upload is tight
  // (SimNet, 50 % non-contributors: 2 s gave continuity 0.61, 1 s 0.72, no rule 0.79).
  Duration low_buffer = std::chrono::seconds(1);
  // A rendezvous or deputy that has not answered a join this long is given up on, and the join retried.
  Duration join_timeout = std::chrono::seconds(5);
  // An inbound connection that has sent no first message by then is closed (pending_inbound.h). p2plab's
  // own bound, a few round trips of the slowest lab link, like Gnutella's handshake timeout.
  Duration hello_timeout = std::chrono::seconds(10);
  // A tree parent silent this long is gone: the peer is an orphan and joins again.
  Duration parent_timeout = std::chrono::seconds(5);
  PartnershipConfig partnership;  // M (target), the accept limit, the departure timeout
  std::uint16_t window = kDefaultWindow;
  SchedulerConfig scheduler;
  Duration startup = std::chrono::seconds(10);
  // DONet's scheduling period (section 3.C): buffer maps go out and the scheduler runs once per period.
  Duration period = std::chrono::seconds(1);
  bool upload = true;                // false: --no-upload, a non-contributor
  std::uint32_t upload_kbps = 1000;  // advertised to partners; bounds what it queues for them
  // A requested segment that neither arrived nor was refused within this time may be asked elsewhere.
  Duration request_timeout = std::chrono::seconds(4);
  // Partnership refinement (DONet, section 3.D): this often, the lowest-scoring partner makes room.
  Duration refine_every = std::chrono::seconds(30);
  Duration announce_every = std::chrono::seconds(5);  // own membership message to the partners
  // A peer whose partners hold no segment this long after its join attempt is in an island of newcomers cut
  // off from the stream: it drops them and joins again through the rendezvous.
  Duration starve_after = std::chrono::seconds(10);
  std::size_t candidates = 8;  // members handed to a newcomer, as its deputy
  JoinGateConfig joins;        // as a deputy
  JoinBackoffConfig backoff;
  GossipConfig gossip;
  // Each segment played, in order, with its bytes (--play-to).
  std::function<void(SegmentId, ByteView)> on_play;
};

// A DONet node (Zhang et al., INFOCOM 2005, section 3): it joins through the rendezvous, which redirects it
// to a deputy handing out candidates (JoinRefused: retried with backoff and counted); its partnership
// manager keeps M partners, exchanging buffer maps every period, replacing the lowest scorer now and then
// and noticing departures by timeout or Leave; its membership manager gossips SCAMP-style (Gossip); each
// period the Scheduler decides which missing segment to ask of which partner; it serves partners' requests
// within its upload; the Player plays on the stream's clock and measures continuity.
// With a hybrid assist server (named by the rendezvous), a newcomer fills its start-up buffer from the
// server, later asks it only for the urgent segments no partner can deliver in time, and stops uploading
// while its own buffer runs low. With Overlay::Tree it is instead a node of the End-System-Multicast-like
// baseline: the rendezvous names its parent, the parent pushes every segment, it forwards each to its
// children, and an orphan joins again. Telemetry (coolstreaming/PROTOCOL.md, "Telemetry"): join_refused,
// joined, playing, partner_up, partner_down, parent_changed, rejected; status as the contract lists.
class Peer : public Core {
 public:
  Peer(Runtime& runtime, PeerConfig config);

  std::string_view system() const override { return "coolstreaming"; }
  std::string_view role() const override { return "peer"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_leave() override;
  nlohmann::json status() const override;

  const Partnership& partners() const { return partners_; }
  const SegmentStore& store() const { return store_; }
  const std::optional<Player>& player() const { return player_; }
  const Gossip& gossip() const { return gossip_; }
  const ReceivedBytes& received() const { return received_; }
  std::uint32_t join_attempts() const { return attempts_.attempts(); }
  std::uint64_t rejected() const { return rejected_; }

 private:
  enum class JoinStage { Idle, Rendezvous, Deputy };

  // Joining (peer_join.cpp).
  void start_join();
  void retry_join(Duration retry_after);
  void learn_stream(const StreamInfo& stream, TimePoint now);
  void on_join_answer(ConnId conn, const Message& message);
  void on_join_at_deputy(ConnId conn, const Join& join, const Endpoint& remote);
  void leave_island(TimePoint now);

  // Partnership and membership (peer.cpp).
  void tick();
  void fill_partners();
  void dial_partner(const Endpoint& candidate);
  void on_partner_message(ConnId conn, Partner& partner, const Message& message);
  void on_partner_request(ConnId conn, const PartnerRequest& request, const Endpoint& remote);
  void partner_up(ConnId conn, std::string_view reason);
  void report_joined(bool via_server);
  void drop_partner(ConnId conn, std::string_view reason, const std::string& close_reason);
  void spread(const Message& message, std::optional<ConnId> except);
  void refine();
  void announce();

  // The tree baseline (peer_tree.cpp).
  void attach_to(const Endpoint& parent);
  void on_parent_message(ConnId conn, const Message& message);
  void on_tree_attach(ConnId conn);
  void orphaned(std::string_view reason);
  void tree_tick(TimePoint now);
  std::size_t tree_slots() const;

  // The hybrid assist (peer_assist.cpp).
  void dial_assist(const Endpoint& server);
  void on_assist_message(ConnId conn, const Message& message);
  void request_from_assist(const Schedule& plan);
  bool uploading() const;

  // The stream (peer_stream.cpp).
  void on_buffer_map(Partner& partner, const BufferMapMessage& message, ConnId conn);
  void start_player(const BufferMap& partner_map);
  void start_player_at(SegmentId first);
  // The start-up amount in whole segments, at least one.
  SegmentId startup_segments() const;
  // A buffer map from the wire as a window, or none after refusing it.
  std::optional<BufferMap> unpack_or_reject(ConnId conn, const BufferMapMessage& message);
  // Stores a segment that arrived and plays on; false if it was a duplicate or out of the window.
  bool store_segment(Segment segment);
  void schedule();
  void serve(ConnId conn, const SegmentRequestMessage& request);
  void on_segment(ConnId conn, Segment segment);
  void play();
  void expire_requests(TimePoint now);
  std::optional<SegmentId> source_newest() const;

  struct Pending {
    Endpoint partner;
    TimePoint asked;
  };

  Runtime& runtime_;
  PeerConfig config_;
  Endpoint self_;

  JoinAttempts attempts_;
  JoinStage stage_ = JoinStage::Idle;
  std::optional<ConnId> join_conn_;
  Endpoint join_target_;  // the rendezvous or the deputy being asked
  TimePoint last_attempt_{};
  TimerId retry_timer_;
  bool retry_pending_ = false;
  bool joined_ = false;
  PendingInbound inbound_;  // connections that have not said what they are

  Gossip gossip_;
  JoinGate deputy_gate_;
  Partnership partners_;

  std::optional<StreamInfo> stream_;  // learn_stream() sets it
  TimePoint stream_heard_{};
  SegmentStore store_;
  Scheduler scheduler_;
  std::map<SegmentId, Pending> pending_;
  std::optional<Player> player_;
  TimePoint player_made_{};
  TimerId play_timer_;
  bool play_timer_set_ = false;

  std::optional<ConnId> parent_conn_;
  Endpoint parent_;
  bool attached_ = false;
  TimePoint parent_heard_{};
  std::set<ConnId> children_;

  std::optional<ConnId> assist_conn_;
  Endpoint assist_id_;
  bool assist_ready_ = false;
  std::optional<BufferMap> assist_map_;
  std::uint64_t server_bytes_ = 0;
  std::uint64_t requests_duplicate_ = 0;  // segments asked for again by the partner they were sent to

  ReceivedBytes received_;
  std::uint64_t rejected_ = 0;
  bool leaving_ = false;
};

}  // namespace p2p::coolstreaming

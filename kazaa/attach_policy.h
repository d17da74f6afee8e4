// AttachPolicy: how an ordinary KaZaA node finds the supernode it attaches to, and finds another when it
// dies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/net/endpoint.h"
#include "common/util/time.h"
#include "kazaa/known_supernodes.h"
#include "kazaa/supernode_entry.h"

namespace p2p::kazaa {

struct AttachPolicyConfig {
  // "opens sessions with 5 and keeps the one with the smallest RTT" (PROTOCOLS.md, KaZaA "Joining").
  std::size_t probes = 5;
  // The timeouts are p2plab's: FastTrack's are not known. A few round trips of the slowest lab link each.
  Duration list_timeout = seconds(3);    // a candidate that sends no list by then is passed over
  Duration probe_timeout = seconds(2);   // a ping without a pong by then makes that supernode unusable
  Duration attach_timeout = seconds(3);  // an attach request without an answer by then counts as refused
  Duration retry_after = seconds(5);     // nobody left to try: wait this long, then start over
  // Sooner when stranded (stranded_round), so that what the election acts on is at most this old and a
  // supernode that stepped up meanwhile is found before this node steps up too. p2plab's own rule.
  Duration stranded_retry_after = seconds(2);
  KnownSupernodesConfig list{};
};

// What the policy waits for, for telemetry and tests.
enum class AttachState {
  Idle,            // not started
  AwaitingList,    // asked one candidate for a fresh supernode list
  AwaitingPongs,   // pinged a handful of supernodes to measure their RTT
  AwaitingAnswer,  // asked the best of them to take this node as a child
  Attached,
  AwaitingRetry,  // every candidate failed: waiting before starting over from the shipped list
};

// What the node should do next. `wake_at`, when set, is when the core calls on_timer unless another event
// comes first; a timer that fires after the policy has moved on does nothing.
struct AttachAction {
  enum class Kind {
    Nothing,
    AskForList,  // connect to to[0] and ask for its supernode list
    Ping,        // connect to each of `to` and ping it; report each pong's RTT, or its loss
    Attach,      // ask to[0] to take this node as a child (a login with the node's user info)
  };
  Kind kind = Kind::Nothing;
  std::vector<Endpoint> to{};
  std::optional<TimePoint> wake_at{};
};

// Decides how an ordinary node joins the two-tier network (PROTOCOLS.md, KaZaA "Joining"; Liang, Kumar,
// Ross 2006, section 3): it tries the candidates of its shipped list one at a time until one answers, and
// takes that supernode's fresh list; it pings `probes` supernodes from it and attaches to the one with the
// smallest RTT (ties: the lower load). A full supernode refuses and names others, which join the list, and
// the node moves on to the next best it measured, pinging a new handful when none is left. A supernode whose
// pongs time out is unusable for this join; one whose connection fails or whose heartbeats stop is marked
// dead in the list, so it is not tried again. When the supernode it is attached to dies, the node starts over
// with a fresh list. No supernode is tried twice in one join; when all have been, the node waits
// `retry_after` and starts again from its shipped list. Time is passed in; the policy reads no clock.
class AttachPolicy {
 public:
  AttachPolicy(Endpoint self, std::vector<SupernodeEntry> shipped, AttachPolicyConfig config = {});

  AttachAction on_start(TimePoint now);
  // A supernode list from `from`: the answer to AskForList, or a later refresh from the own supernode.
  AttachAction on_list(const Endpoint& from, std::span<const SupernodeEntry> entries, TimePoint now);
  // A pong from `from`, `rtt` after its ping, reporting its load.
  AttachAction on_pong(const Endpoint& from, Duration rtt, std::uint8_t load_percent, TimePoint now);
  // `from` took this node as a child. An accept the policy no longer waits for (it timed out and moved on)
  // changes nothing: supernode() is not `from`, and the core closes that session.
  AttachAction on_accepted(const Endpoint& from, TimePoint now);
  // `from` is full and names `alternatives`.
  AttachAction on_refused(const Endpoint& from, std::span<const SupernodeEntry> alternatives, TimePoint now);
  // `from` failed while the policy waited on it: a dial refused, a connection lost, or, for the supernode it
  // is attached to, missed heartbeats. It is marked dead. Connections the core closes itself (probes not
  // chosen) are not losses.
  AttachAction on_lost(const Endpoint& from, TimePoint now);
  AttachAction on_timer(TimePoint now);

  AttachState state() const { return state_; }
  const std::optional<Endpoint>& supernode() const { return supernode_; }
  const KnownSupernodes& list() const { return list_; }
  // How long the last join took, from the start (or the loss of the previous supernode) to the accept.
  const std::optional<Duration>& last_join() const { return last_join_; }
  // Joins completed after losing a supernode.
  std::size_t reattaches() const { return reattaches_; }
  // When the latest join round that ran out of supernodes to try began, if a full supernode has refused
  // this node since it last was attached: every supernode it knows is full, gone or no supernode at all.
  // Empty while attached, and while nothing but nodes with room (or ordinary nodes, which report no load)
  // have refused it since. The election takes it as a supernode shortage (kazaa/election.h, "Stranded").
  const std::optional<TimePoint>& stranded_round() const { return stranded_round_; }

 private:
  struct Probe {
    std::optional<Duration> rtt;  // empty until its pong
    std::uint8_t load_percent = 0;
    bool settled = false;  // ponged, lost or timed out
  };

  AttachAction ask_next_for_list(TimePoint now);
  AttachAction probe_next(TimePoint now);
  AttachAction rank_probes(TimePoint now);
  AttachAction attach_next(TimePoint now);
  AttachAction wait(TimePoint now);
  AttachAction await(AttachState state, AttachAction::Kind kind, std::vector<Endpoint> to,
                     TimePoint deadline);
  void begin_join(TimePoint now, bool rejoining);

  AttachPolicyConfig config_;
  std::vector<SupernodeEntry> shipped_;
  KnownSupernodes list_;
  AttachState state_ = AttachState::Idle;
  std::optional<TimePoint> deadline_;
  std::vector<Endpoint> tried_;       // this join's candidates that failed, or that were pinged
  std::optional<Endpoint> asked_;     // AwaitingList, AwaitingAnswer: whom
  std::map<Endpoint, Probe> probes_;  // AwaitingPongs
  std::vector<Endpoint> ranked_;      // the pinged supernodes that answered, best first
  std::optional<Endpoint> supernode_;
  TimePoint join_started_{};
  TimePoint round_started_{};  // this join round's: the join's start, or the last retry
  bool rejoining_ = false;
  std::optional<Duration> last_join_;
  std::size_t reattaches_ = 0;
  std::optional<TimePoint> stranded_round_;
  bool refused_by_full_ = false;  // since the last accept
};

}  // namespace p2p::kazaa

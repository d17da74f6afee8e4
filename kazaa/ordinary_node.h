// OrdinaryNode: a KaZaA user's node, attached to one supernode that indexes its files and runs its searches.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/content/query_workload.h"
#include "common/node/core.h"
#include "common/transfer/http_downloads.h"
#include "kazaa/attach_policy.h"
#include "kazaa/node_role.h"
#include "kazaa/sessions.h"
#include "kazaa/shared_files.h"

namespace p2p::kazaa {

struct OrdinaryConfig {
  std::vector<SupernodeEntry> bootstrap;  // the shipped supernode list
  AttachPolicyConfig attach;
  // FastTrack's keep-alive period is not known; p2plab pings its supernode every 2 s and gives it up after 3
  // silent periods, so a dead supernode is noticed within 6 s even when no connection reset arrives.
  Duration heartbeat_interval = seconds(2);
  Duration heartbeat_timeout = seconds(6);
  // A search whose SearchEnd has not come by then is given up (query_done with ok false).
  Duration query_timeout = seconds(15);
  double query_rate = 0;  // workload searches per second (Poisson arrivals); 0 for none
  std::uint16_t max_results = kMaxResults;
  double download_probability = 1;  // chance that a search for a known file downloads it from a result
  std::size_t max_downloads = 4;
};

// An ordinary node (PROTOCOLS.md, KaZaA; Liang, Kumar, Ross 2006, section 3). AttachPolicy decides whom to
// attach to: it asks a known supernode for a fresh list (a login, answered by an accept or refusal that
// carries one), pings a handful, and logs in to the lowest RTT. Once accepted it sends one ShareFile per
// shared file, pings its supernode every heartbeat_interval, and searches through it: a Query, then
// QueryReply messages and a SearchEnd. Silence past heartbeat_timeout, a closed session or a Handoff lose the
// supernode: the node joins again and uploads its files again. A result naming the file a search was for may
// start an HTTP download (`GET /.hash=<40 hex>`), checked against the catalogue's SHA-1.
// Telemetry: attached, detached, query_sent, query_done (kazaa/PROTOCOL.md, "Telemetry").
class OrdinaryNode : public NodeRole {
 public:
  // `login` is the user info sent to a supernode (its supernode flag is cleared).
  OrdinaryNode(Runtime& runtime, Sessions& sessions, SharedFiles& files, transfer::HttpDownloads& downloads,
               OrdinaryConfig config, Login login);
  ~OrdinaryNode() override;
  OrdinaryNode(const OrdinaryNode&) = delete;
  OrdinaryNode& operator=(const OrdinaryNode&) = delete;

  void start() override;
  void on_connected(ConnId conn) override;
  void on_message(ConnId conn, const Message& message) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_shared(const ShareFile& file) override;
  // Leaves its supernode (a promotion, a leave): a `detached` event, as for any loss.
  void on_stepping_down() override;

  NetworkView network() const override;
  std::vector<SupernodeEntry> known_supernodes() const override;
  nlohmann::json status() const override;

  // Searches for `words` through the supernode; `file` is the catalogue file meant, whose result may be
  // downloaded. Returns the search's id, or an error when not attached or the words cannot form a Query.
  Expected<std::string> query(const std::string& words, std::optional<std::size_t> file = std::nullopt);

  const AttachPolicy& policy() const { return policy_; }
  std::optional<Endpoint> supernode() const;

 private:
  // What a session to a supernode is for, as AttachPolicy asked.
  enum class Purpose { List, Probe, Attach };
  struct Contact {
    Endpoint address;
    Purpose purpose;
    bool up = false;
    std::uint32_t nonce = 0;  // Probe: the ping's
    TimePoint pinged{};
  };
  struct Search {
    std::string id;
    std::optional<std::size_t> file;
    TimePoint started;
    std::size_t results = 0;
    bool download_decided = false;
  };

  void act(const AttachAction& action);
  void open(const Endpoint& address, Purpose purpose);
  void attach_to(const Endpoint& address);
  void on_contact_message(ConnId conn, Contact& contact, const Message& message);
  void on_supernode_message(ConnId conn, const Message& message);
  void attached(ConnId conn, const Endpoint& address, std::span<const SupernodeEntry> fresh);
  void lose_supernode(const std::string& reason);
  void close_contacts(const std::optional<Endpoint>& except);
  void heartbeat();
  void on_reply(const QueryReply& reply);
  void end_search(std::uint16_t query_id, bool ok);
  void schedule_query();

  Runtime& runtime_;
  Sessions& sessions_;
  SharedFiles& files_;
  transfer::HttpDownloads& downloads_;
  OrdinaryConfig config_;
  Login login_;
  Endpoint self_;
  AttachPolicy policy_;
  std::optional<content::QueryWorkload> workload_;

  std::map<ConnId, Contact> contacts_;
  std::map<Endpoint, Duration> rtts_;  // this join's measured round trips
  std::size_t probes_sent_ = 0;        // this join's pings
  std::optional<ConnId> supernode_conn_;
  std::optional<Endpoint> supernode_;
  TimePoint last_heard_{};
  std::uint32_t network_users_ = 0;  // from the supernode's NetworkStats

  std::map<std::uint16_t, Search> searches_;
  std::uint16_t next_query_id_ = 0;
  std::uint64_t queries_ = 0;

  TimerId wake_timer_{};
  TimerId heartbeat_timer_{};
  TimerId query_timer_{};
};

}  // namespace p2p::kazaa

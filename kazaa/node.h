// KazaaNode: the Core of a KaZaA process, holding its role (ordinary or supernode) and its HTTP transfers.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/content/catalogue.h"
#include "common/node/core.h"
#include "common/transfer/http_downloads.h"
#include "common/transfer/http_uploads.h"
#include "kazaa/election.h"
#include "kazaa/node_role.h"
#include "kazaa/ordinary_node.h"
#include "kazaa/sessions.h"
#include "kazaa/shared_files.h"
#include "kazaa/supernode.h"

namespace p2p::kazaa {

struct NodeConfig {
  Role role = Role::Ordinary;  // the starting role
  bool auto_role = false;      // --role auto: Election promotes and demotes
  ElectionConfig election;     // each node draws its settle time between 1 and 2 times this one's
  Duration election_interval = seconds(5);  // how often an auto node observes itself and the network
  std::uint64_t upload_bps = 0;             // its link's upload cap, as Election weighs it; 0 uncapped
  bool reachable = true;                    // every p2plab node accepts inbound connections
  // An inbound connection that has sent no whole first frame (a session message or an HTTP request line) by
  // then is closed: p2plab's own bound, so that one trickling its first frame a byte at a time (a
  // slowloris), or saying nothing, is not held for ever.
  Duration first_frame_timeout = seconds(10);

  // Who the node says it is in every login (kazaa/PROTOCOL.md, "0x02 Login"); the listen port is always its
  // own, whatever is given here.
  Login login = {"user", 0, 0, 0, true, false};
  OrdinaryConfig ordinary;  // its bootstrap is the shipped supernode list
  SupernodeConfig super;    // its bootstrap is the other supernodes to link to

  std::shared_ptr<const content::Catalogue> catalogue;  // required
  std::vector<std::size_t> shared;                      // catalogue indices this node shares
  bool free_rider = false;                              // shares nothing, whatever `shared` says
  std::string user_agent = "p2plab-kazaa/0.1";
  transfer::HttpUploadConfig uploads;
  transfer::HttpDownloadConfig downloads;
};

// A KaZaA node (PROTOCOLS.md, KaZaA). One listening port takes KaZaA sessions and HTTP downloads, told apart
// by their first byte (PortFramer). The node decodes every session frame and refuses what does not decode:
// the session is closed with the codec's reason, and counted (`rejected`). What it does with the messages is
// its role's (OrdinaryNode, Supernode). With `auto_role`, Election decides every election_interval whether
// to change role: a promoted node closes its supernode session and starts taking children; a demoted one
// hands its children off (Handoff) and attaches to one of the supernodes it knows. Its files are served to
// any node whatever its role (`GET /.hash=<40 hex>`). Telemetry: role, rejected, download_done, upload_done,
// and its role's events (kazaa/PROTOCOL.md, "Telemetry").
class KazaaNode : public Core {
 public:
  // Timers are not cancelled on destruction, as for every core (gnutella/servent.h); roles cancel theirs.
  KazaaNode(Runtime& runtime, NodeConfig config);

  std::string_view system() const override { return "kazaa"; }
  // The starting role, as the telemetry contract names it.
  std::string_view role() const override { return role_name(config_.role); }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // A supernode hands its children off first.
  void on_leave() override;
  nlohmann::json status() const override;

  Role current_role() const { return current_; }
  // The role as it is now: OrdinaryNode or Supernode, whichever current_role() says.
  OrdinaryNode* ordinary() { return dynamic_cast<OrdinaryNode*>(role_.get()); }
  Supernode* supernode() { return dynamic_cast<Supernode*>(role_.get()); }
  const SharedFiles& files() const { return files_; }
  std::uint64_t rejected() const { return sessions_.rejected(); }

  static std::string_view role_name(Role role) { return role == Role::Super ? "super" : "ordinary"; }

 private:
  void become(Role role, std::vector<SupernodeEntry> known, std::string_view reason);
  void observe();

  Runtime& runtime_;
  NodeConfig config_;
  Sessions sessions_;
  SharedFiles files_;
  transfer::HttpUploads uploads_;
  transfer::HttpDownloads downloads_;
  Election election_;
  std::unique_ptr<NodeRole> role_;
  Role current_;
  TimePoint started_{};

  std::map<ConnId, Endpoint> awaiting_first_frame_;  // inbound, protocol not known yet
  std::set<ConnId> uploads_open_;
  std::set<ConnId> downloads_open_;
};

}  // namespace p2p::kazaa

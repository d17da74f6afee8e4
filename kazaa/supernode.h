// Supernode: a KaZaA node that takes children, indexes their files and runs their searches.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/node/core.h"
#include "kazaa/known_supernodes.h"
#include "kazaa/node_role.h"
#include "kazaa/query_driver.h"
#include "kazaa/sessions.h"
#include "kazaa/supernode_index.h"

namespace p2p::kazaa {

struct SupernodeConfig {
  std::vector<SupernodeEntry> bootstrap;  // other supernodes to link to
  // Liang, Kumar, Ross (2006) measured 100-160 children per supernode; 150 is in that range.
  std::size_t max_children = 150;
  // Measured: 20-40 links to other supernodes among 20-40 thousand, about 0.1 % of them (PROTOCOLS.md,
  // KaZaA). 0.1 % of a lab's handful to few tens of supernodes would be none, so the default keeps the
  // measured count's order but scales it down to 8 (--sn-neighbours): with the default 6 a round
  // (--indirect), two rounds ask every neighbour.
  std::size_t sn_neighbours = 8;
  QueryDriverConfig query;
  // A child silent this long is dropped: three of its heartbeats (kazaa/ordinary_node.h) missed.
  Duration child_timeout = seconds(6);
  Duration maintenance_interval = seconds(1);  // drop silent children, link toward sn_neighbours
  // Supernode lists and network stats to children and neighbours. Often, so that a new supernode shows in
  // the children's election view (kazaa/node.h) before the fastest of them settle on a promotion (2.5 s).
  Duration refresh_interval = seconds(2);
  KnownSupernodesConfig list;
};

// A supernode (PROTOCOLS.md, KaZaA; Liang, Kumar, Ross 2006): a small Napster server for up to
// max_children children (SupernodeIndex), refusing more with other supernodes to try, and a member of the
// supernode overlay, linked to sn_neighbours others with which it swaps supernode lists. A child's Query is
// answered from the own index first, then driven by QueryDriver: SearchForward to `indirect` neighbours a
// round, each asked once, until `want` matches; a supernode asked answers from its own index only and never
// forwards further. Every match reaches the child as a QueryReply, then a SearchEnd. Pings are answered with
// the load, so ordinary nodes can measure the RTT and see how full it is.
// Telemetry: child_joined, child_left, search_done, rejected (kazaa/PROTOCOL.md, "Telemetry").
class Supernode : public NodeRole {
 public:
  // `login` is what it sends on the neighbour links it opens (its supernode flag is set).
  Supernode(Runtime& runtime, Sessions& sessions, SupernodeConfig config, Login login);
  ~Supernode() override;
  Supernode(const Supernode&) = delete;
  Supernode& operator=(const Supernode&) = delete;

  void start() override;
  void on_connected(ConnId conn) override;
  void on_message(ConnId conn, const Message& message) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  void on_shared(const ShareFile&) override {}
  // Sends each child a Handoff naming other supernodes, and lets it go.
  void on_stepping_down() override;

  NetworkView network() const override;
  std::size_t children() const override { return children_.size(); }
  std::vector<SupernodeEntry> known_supernodes() const override;
  nlohmann::json status() const override;

  const SupernodeIndex& index() const { return index_; }
  // The listening addresses of the neighbour supernodes whose link is up, each once.
  std::vector<Endpoint> neighbours() const;
  std::uint8_t load_percent() const;

 private:
  struct Child {
    ChildInfo info;
    TimePoint last_heard;
    std::map<Sha1Digest, std::string> names;  // Unshare names a file by hash, the index by name
  };
  struct Neighbour {
    Endpoint address;    // where it listens
    bool up = false;     // its login (inbound) or our connection (outbound) came through
    NetworkStats stats;  // what it last said of its own part
  };
  // One child's search, driven from here.
  struct Search {
    ConnId child;
    std::uint16_t child_query = 0;
    std::string id;
    std::string words;
    std::uint16_t max_results = kMaxResults;
    QueryDriver driver;
    std::size_t local = 0;
    std::size_t messages = 1;  // the child's Query
    TimerId timer{};
  };

  void on_login(ConnId conn, const Login& login);
  void on_child_message(ConnId conn, Child& child, const Message& message);
  void on_neighbour_message(ConnId conn, Neighbour& neighbour, const Message& message);
  void unexpected(ConnId conn, const Message& message);

  void start_search(ConnId conn, const Child& child, const Query& query);
  void apply(std::uint16_t search_id, const QueryStep& step);
  void on_forward(ConnId conn, const SearchForward& forward);
  void on_search_reply(const Neighbour& from, const QueryReply& reply);
  QueryReply results(std::uint16_t query_id, const std::vector<IndexMatch>& matches, std::size_t count) const;
  void end_search(std::map<std::uint16_t, Search>::iterator it);

  void maintain();
  void refresh();
  void drop_child(ConnId conn, const std::string& reason, bool close);
  std::vector<SupernodeEntry> list_with_self() const;
  NetworkStats own_stats() const;

  Runtime& runtime_;
  Sessions& sessions_;
  SupernodeConfig config_;
  Login login_;
  Endpoint self_;
  KnownSupernodes list_;
  SupernodeIndex index_;
  std::map<ConnId, Child> children_;
  std::map<ConnId, Neighbour> neighbours_;
  std::map<ConnId, TimePoint> unknown_;  // inbound sessions that have not logged in: probes and newcomers
  std::map<std::uint16_t, Search> searches_;
  std::uint16_t next_search_ = 0;
  std::uint64_t searches_started_ = 0;
  TimerId maintenance_timer_{};
  TimerId refresh_timer_{};
};

}  // namespace p2p::kazaa

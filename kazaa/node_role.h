// NodeRole: what a KaZaA node does with its sessions, as an ordinary node or as a supernode.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/util/ids.h"
#include "common/util/time.h"
#include "kazaa/election.h"
#include "kazaa/message.h"

namespace p2p::kazaa {

// A supernode heard of within this long counts as up for the election: three of the list refreshes that
// supernodes send their children and neighbours (SupernodeConfig::refresh_interval). Older entries stay in
// the list as candidates, but many of them have stepped down or died.
inline constexpr Duration kCountedAsUp = std::chrono::seconds(30);

// The part of a node that changes with its role (kazaa/node.h holds one and swaps it on promotion or
// demotion). It sees only KaZaA sessions, already decoded; the node keeps the HTTP transfers and the files.
// A role cancels its timers when destroyed, since a node outlives its roles.
class NodeRole {
 public:
  virtual ~NodeRole() = default;

  virtual void start() = 0;
  // A session this role dialled is up.
  virtual void on_connected(ConnId conn) = 0;
  virtual void on_message(ConnId conn, const Message& message) = 0;
  // A session ended without this role closing it.
  virtual void on_closed(ConnId conn, std::string_view reason) = 0;
  // The node started sharing another file (a verified download).
  virtual void on_shared(const ShareFile& file) = 0;
  // The role is about to end (a demotion, a leave): say so to whoever depends on it.
  virtual void on_stepping_down() = 0;

  // What the election weighs (kazaa/election.h), and the supernodes this role knows, for the next role.
  virtual NetworkView network() const = 0;
  virtual std::size_t children() const { return 0; }
  virtual std::vector<SupernodeEntry> known_supernodes() const = 0;
  // The role's fields of the `sys` status record (kazaa/PROTOCOL.md, "Telemetry").
  virtual nlohmann::json status() const = 0;
};

}  // namespace p2p::kazaa

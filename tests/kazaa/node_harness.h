// A KaZaA node on a FakeRuntime, and the frames a test plays to it as its peers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/content/catalogue.h"
#include "kazaa/codec.h"
#include "kazaa/node.h"
#include "tests/support/fake_runtime.h"

namespace p2p::kazaa::testing {

inline std::shared_ptr<const content::Catalogue> small_catalogue() {
  content::CatalogueConfig config;
  config.files = 20;
  config.min_size = 1000;
  config.max_size = 20'000;
  config.seed = 2;
  return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
}

// The supernode at 10.0.0.<i>:7100 (10.0.0.0/24 is the tests' supernodes, the node itself is 127.0.0.1).
inline Endpoint supernode_at(int i) {
  return {"10.0.0." + std::to_string(i), 7100};
}

class NodeHarness {
 public:
  explicit NodeHarness(NodeConfig config) {
    if (!config.catalogue) config.catalogue = small_catalogue();
    node_ = std::make_unique<KazaaNode>(rt, std::move(config));
    rt.attach(*node_);
    node_->on_start();
  }

  KazaaNode& node() { return *node_; }

  void feed(ConnId conn, const Message& message) {
    node_->on_frame(conn, encode(message));
    rt.pump();
  }
  // Every message the node sent on `conn` since the last call, decoded.
  std::vector<Message> take(ConnId conn) {
    std::vector<Message> out;
    for (const Bytes& frame : rt.take_sent(conn)) out.push_back(decode(frame).value());
    return out;
  }
  template <typename T>
  std::vector<T> take_of(ConnId conn) {
    std::vector<T> out;
    for (Message& message : take(conn))
      if (auto* m = std::get_if<T>(&message)) out.push_back(std::move(*m));
    return out;
  }
  // The connections dialled to `to`, oldest first.
  std::vector<ConnId> dials_to(const Endpoint& to) const {
    std::vector<ConnId> conns;
    for (const auto& [conn, remote] : rt.dialled)
      if (remote == to) conns.push_back(conn);
    return conns;
  }
  ConnId last_dial_to(const Endpoint& to) const {
    auto conns = dials_to(to);
    return conns.empty() ? ConnId{} : conns.back();
  }
  bool open(ConnId conn) const { return !rt.closed.contains(conn); }
  std::vector<nlohmann::json> events(std::string_view name) const {
    std::vector<nlohmann::json> found;
    for (const auto& event : rt.events)
      if (event.name == name) found.push_back(event.data);
    return found;
  }

  p2p::testing::FakeRuntime rt;

 private:
  std::unique_ptr<KazaaNode> node_;
};

}  // namespace p2p::kazaa::testing

// The hybrid assist server: a well-provisioned node that holds the whole window and serves urgent segments.
#pragma once

#include <cstdint>
#include <optional>
#include <set>

#include "common/node/core.h"
#include "coolstreaming/node_wire.h"
#include "coolstreaming/segment_store.h"

namespace p2p::coolstreaming {

struct ServerConfig {
  Endpoint source;  // the rendezvous, which feeds the server every segment
  std::uint16_t window = kDefaultWindow;
  std::uint32_t upload_kbps = 100'000;        // a data-centre uplink: bounds what it queues for peers
  Duration period = std::chrono::seconds(1);  // buffer maps to the peers it serves
  Duration reconnect = std::chrono::seconds(1);
};

// The hybrid of seed 000 and Spotify's rule of seed 001: real deployments add servers, from which newcomers
// start and peers fetch only the segments no partner can deliver in time. The server announces itself to the
// rendezvous with a Join of role Server; the source then pushes it every segment and names it to every
// newcomer as the assist. Any peer may connect with a PartnerRequest and is accepted (a server has no M): it
// gets the server's buffer map every period and its requests are served within the server's upload. It is not
// a member of the mesh: it gossips nothing and is nobody's partner candidate.
// Telemetry: `rejected` events; status {partners, children, video_bytes_sent, refused_joins, newest}.
class Server : public Core {
 public:
  Server(Runtime& runtime, ServerConfig config);

  std::string_view system() const override { return "coolstreaming"; }
  std::string_view role() const override { return "server"; }
  void on_start() override;
  std::unique_ptr<Framer> framer_for(ConnId conn, bool inbound) override;
  void on_connected(ConnId conn, bool inbound, const Endpoint& remote) override;
  void on_frame(ConnId conn, ByteView frame) override;
  void on_closed(ConnId conn, std::string_view reason) override;
  // Nothing to say on leaving: clients see the connection close, so the node ends at once.
  void on_leave() override { runtime_.stop(); }
  nlohmann::json status() const override;

  const SegmentStore& store() const { return store_; }

 private:
  void connect_source();
  void on_feed(ConnId conn, const Message& message);
  void on_client(ConnId conn, const Message& message);
  void tick();

  Runtime& runtime_;
  ServerConfig config_;
  SegmentStore store_;
  std::optional<ConnId> feed_;  // from the source
  std::set<ConnId> inbound_;    // not yet a client
  std::set<ConnId> clients_;
  ReceivedBytes received_;
  std::uint64_t video_bytes_sent_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace p2p::coolstreaming

// KRPC (BEP 5, "KRPC Protocol"): the DHT's bencoded queries, responses and errors, one per UDP datagram.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bittorrent/dht/compact.h"
#include "bittorrent/dht/node_id.h"
#include "common/net/endpoint.h"
#include "common/util/bytes.h"
#include "common/util/expected.h"

namespace p2p::bittorrent::dht {

// The largest UDP payload over IPv4: no KRPC message can be longer.
inline constexpr std::size_t kMaxMessageBytes = 65507;

// The error codes of BEP 5, "Errors". Others exist in the wild, so a decoded error keeps any integer.
inline constexpr int kGenericError = 201;
inline constexpr int kServerError = 202;
inline constexpr int kProtocolError = 203;  // malformed packet, invalid arguments or bad token
inline constexpr int kMethodUnknown = 204;

// The four queries of BEP 5, "DHT Queries", by their arguments beyond the querying node's `id`.
struct Ping {
  friend bool operator==(const Ping&, const Ping&) = default;
};
struct FindNode {
  NodeId target;
  friend bool operator==(const FindNode&, const FindNode&) = default;
};
struct GetPeers {
  NodeId info_hash;
  friend bool operator==(const GetPeers&, const GetPeers&) = default;
};
struct AnnouncePeer {
  NodeId info_hash;
  std::uint16_t port = 0;
  std::string token;  // from an earlier get_peers response of the queried node
  // "implied_port": use the datagram's source port instead of `port` (peers behind NAT).
  bool implied_port = false;
  friend bool operator==(const AnnouncePeer&, const AnnouncePeer&) = default;
};
// A method BEP 5 does not define: it decodes, so that the node can answer it with kMethodUnknown.
struct UnknownMethod {
  std::string name;
  friend bool operator==(const UnknownMethod&, const UnknownMethod&) = default;
};
using QueryArgs = std::variant<Ping, FindNode, GetPeers, AnnouncePeer, UnknownMethod>;

struct Query {
  NodeId id;  // the querying node
  QueryArgs args;
  friend bool operator==(const Query&, const Query&) = default;
};

// A response does not name the query it answers (the transaction id ties them together), so it holds what
// any of the four may carry: ping and announce_peer only `id`; find_node `nodes`; get_peers a `token` and
// `values` (peers of the torrent) or `nodes` (closer nodes).
struct Response {
  NodeId id;  // the queried node
  std::optional<std::vector<NodeInfo>> nodes;
  std::optional<std::vector<Endpoint>> values;
  std::optional<std::string> token;
  friend bool operator==(const Response&, const Response&) = default;
};

struct ErrorReply {
  int code = kGenericError;
  std::string message;
  friend bool operator==(const ErrorReply&, const ErrorReply&) = default;
};

// One KRPC message: `t` echoed by the answer, `y` given by which body it holds.
struct Message {
  std::string transaction;
  std::variant<Query, Response, ErrorReply> body;
  std::string version;  // "v": the client's name and version, empty when absent
  friend bool operator==(const Message&, const Message&) = default;
};

// The method name a query is sent under: "ping", "find_node", "get_peers", "announce_peer" or the unknown
// name.
std::string method_name(const QueryArgs& args);

Bytes encode_krpc(const Message& message);
// Refuses with a reason: input that is not one bencoded dictionary within kMaxMessageBytes; a missing or
// mistyped `t`, `y`, `q`, `a`, `r` or `e`; ids, targets and info-hashes that are not 20 bytes; compact nodes
// that are not whole 26-byte entries and peers that are not 6 bytes; ports outside 1-65535. Keys BEP 5 does
// not define (BEP 42's `ip`, `ro`, ...) are ignored.
Expected<Message> decode_krpc(ByteView datagram);

// The `t` of a datagram that decode_krpc refused but that is still a bencoded dictionary saying it is a query
// (y = "q") with a string `t`: BEP 5 answers such a query with kProtocolError under its transaction id. Only
// queries are answered, so two nodes never trade errors about each other's errors.
std::optional<std::string> malformed_query_transaction(ByteView datagram);

}  // namespace p2p::bittorrent::dht

// The frames of each target, from the project's encoders (napster/codec.h and transfer.h,
// gnutella/descriptor.h and handshake.h, bittorrent/wire.h, tracker_request.h and http_message.h,
// bittorrent/dht/krpc.h, common/telemetry/schema.h), and ZMTP's for the launcher (zmtp.h).
#include "tests/tools/hostile/target_frames.h"

#include <algorithm>

#include "bittorrent/dht/krpc.h"
#include "bittorrent/http_message.h"
#include "bittorrent/tracker_request.h"
#include "bittorrent/wire.h"
#include "common/telemetry/schema.h"
#include "coolstreaming/codec.h"
#include "gnutella/descriptor.h"
#include "gnutella/guid.h"
#include "gnutella/handshake.h"
#include "kazaa/codec.h"
#include "napster/codec.h"
#include "napster/transfer.h"
#include "tests/tools/hostile/zmtp.h"

namespace p2p::hostile {
namespace {

constexpr std::string_view kUserAgent = "p2plab-hostile";
constexpr std::uint64_t kFourGiB = std::uint64_t{1} << 32;

// A frame whose length field, `width` bytes at `offset`, is overwritten with its largest value.
Bytes with_largest_length(Bytes frame, std::size_t offset, std::size_t width) {
  std::fill_n(frame.begin() + static_cast<std::ptrdiff_t>(offset), width, 0xFF);
  return frame;
}

template <typename Array>
Array random_bytes(Rng& rng) {
  Array out{};
  rng.fill(out.data(), out.size());
  return out;
}

// OpenNap (napster.txt): a 4-byte header, u16 little-endian length then u16 type; 65,535 is the largest
// length it can say, far over napster::kMaxPayload.
TargetFrames napster_server() {
  TargetFrames frames;
  frames.hello = [](Rng& rng) {
    return napster::encode(
        napster::Login{"hostile" + std::to_string(rng.next() % 1000000), "pw", 0, kUserAgent.data(), 0});
  };
  frames.request = [](Rng&) {
    return napster::encode(napster::SearchRequest{"hostile", napster::kMaxResults});
  };
  frames.probe = frames.request;
  frames.huge_length = with_largest_length(napster::encode(napster::SearchRequest{"hostile", 1}), 0, 2);
  return frames;
}

// A Napster peer's data port (napster.txt 4.1, napster/transfer.h): the uploader greets with "1", the
// downloader says GET, then one request line for a file, answered by its size and bytes. One request a
// connection. The request has no length prefix: its largest field is the offset, a u64.
TargetFrames napster_peer(const TargetConfig& config) {
  TargetFrames frames;
  frames.hello = [](Rng&) { return to_bytes(napster::kGet); };
  frames.hello_reply_bytes = napster::kGreeting.size();
  frames.request = [file = config.file](Rng& rng) {
    return napster::encode_request({"hostile" + std::to_string(rng.next() % 1000000), file, 0});
  };
  frames.probe = frames.request;
  frames.one_request_per_connection = true;
  frames.huge_length = napster::encode_request({"hostile", config.file, ~std::uint64_t{0}});
  return frames;
}

// Gnutella 0.6: the three-step text handshake, then descriptors whose 23-byte header ends in a u32
// little-endian payload length.
Bytes gnutella_descriptor(Rng& rng, gnutella::Payload payload) {
  return gnutella::encode_descriptor(gnutella::make_guid(rng), gnutella::kDefaultTtl, 0, std::move(payload))
      .value();
}

TargetFrames gnutella_servent() {
  TargetFrames frames;
  auto headers = gnutella::servent_headers(kUserAgent, std::nullopt);
  frames.hello = [headers](Rng&) { return to_bytes(gnutella::to_text(gnutella::connect_request(headers))); };
  frames.hello_after_reply = to_bytes(gnutella::to_text(gnutella::ok_response(headers)));
  frames.request = [](Rng& rng) { return gnutella_descriptor(rng, gnutella::Query{0, "hostile", {}}); };
  frames.probe = [](Rng& rng) { return gnutella_descriptor(rng, gnutella::Ping{}); };
  Rng rng(1);
  frames.huge_length =
      with_largest_length(gnutella_descriptor(rng, gnutella::Ping{}), gnutella::kHeaderSize - 4, 4);
  return frames;
}

// KaZaA (kazaa/PROTOCOL.md): a type byte, then a u32 big-endian payload length. A child attaches with a
// Login, then searches through its supernode, which ends every search with a SearchEnd.
TargetFrames kazaa_supernode() {
  TargetFrames frames;
  frames.hello = [](Rng& rng) {
    return kazaa::encode(
        kazaa::Login{"hostile" + std::to_string(rng.next() % 1000000), 0, 100, 0, false, false});
  };
  frames.request = [](Rng& rng) {
    return kazaa::encode(kazaa::Query{static_cast<std::uint16_t>(rng.next()), "hostile", kazaa::kMaxResults});
  };
  frames.probe = frames.request;
  Rng rng(1);
  frames.huge_length = with_largest_length(frames.request(rng), 1, 4);
  return frames;
}

// CoolStreaming (coolstreaming/PROTOCOL.md): a type byte, then a u32 big-endian body length, like KaZaA.
// The source (the rendezvous) is joined; a peer is asked for a partnership, then flooded with requests for
// one segment.
Bytes cs_frame(const coolstreaming::Message& message) {
  return coolstreaming::encode(message);
}

TargetFrames cs_source() {
  TargetFrames frames;
  frames.request = [](Rng& rng) {
    return cs_frame(coolstreaming::Join{static_cast<std::uint16_t>(1024 + rng.next() % 60000), 500,
                                        coolstreaming::Overlay::Mesh, coolstreaming::Role::Peer, 1});
  };
  frames.probe = frames.request;
  Rng rng(1);
  frames.huge_length = with_largest_length(frames.request(rng), 1, 4);
  return frames;
}

TargetFrames cs_peer() {
  TargetFrames frames;
  frames.hello = [](Rng& rng) {
    return cs_frame(
        coolstreaming::PartnerRequest{static_cast<std::uint16_t>(1024 + rng.next() % 60000), 500});
  };
  frames.request = [](Rng&) { return cs_frame(coolstreaming::SegmentRequestMessage{{0}}); };
  frames.probe = frames.request;
  Rng rng(1);
  frames.huge_length = with_largest_length(frames.request(rng), 1, 4);
  return frames;
}

// BEP 3 peer wire: the 68-byte handshake (and Interested, so requests may be served), then messages with a
// u32 big-endian length prefix. The flood asks for the same first block again and again.
TargetFrames bt_peer(const TargetConfig& config) {
  TargetFrames frames;
  frames.hello = [info_hash = config.info_hash](Rng& rng) {
    bittorrent::Handshake handshake{{}, info_hash, random_bytes<bittorrent::PeerId>(rng)};
    Bytes out = bittorrent::encode_handshake(handshake);
    Bytes interested = bittorrent::encode_message(bittorrent::Interested{});
    out.insert(out.end(), interested.begin(), interested.end());
    return out;
  };
  Bytes block_request = bittorrent::encode_message(bittorrent::Request{bittorrent::PieceIndex{0}, 0, 16384});
  frames.request = [block_request](Rng&) { return block_request; };
  frames.probe = frames.request;
  frames.huge_length = with_largest_length(block_request, 0, 4);
  return frames;
}

// BEP 3 tracker: one HTTP GET per connection; the flood announces random info-hashes. Its huge length is a
// Content-Length of 4 GiB on a valid announce.
Bytes announce(Rng& rng) {
  bittorrent::AnnounceRequest request;
  request.info_hash = random_bytes<Sha1Digest>(rng);
  request.peer_id = random_bytes<bittorrent::PeerId>(rng);
  request.port = 6881;
  request.left = 1;
  request.event = bittorrent::AnnounceEvent::Started;
  request.compact = true;
  return bittorrent::format_http_get("/announce?" + bittorrent::announce_query(request), "127.0.0.1",
                                     kUserAgent);
}

TargetFrames bt_tracker() {
  TargetFrames frames;
  frames.request = announce;
  frames.probe = announce;
  frames.one_request_per_connection = true;
  Rng rng(1);
  std::string head(as_chars(announce(rng)));
  head.insert(head.size() - 2, "Content-Length: " + std::to_string(kFourGiB) + "\r\n");
  frames.huge_length = to_bytes(head);
  return frames;
}

// BEP 5 KRPC over UDP: one bencoded dictionary a datagram. The flood sends get_peers from a new node id each
// time; the huge length is a bencode string length of 4 GiB in a valid ping.
Bytes krpc_query(Rng& rng, bittorrent::dht::QueryArgs args, std::string transaction) {
  return bittorrent::dht::encode_krpc(
      {std::move(transaction), bittorrent::dht::Query{bittorrent::dht::NodeId::random(rng), std::move(args)},
       ""});
}

TargetFrames bt_dht() {
  TargetFrames frames;
  frames.kind = SocketProbe::Kind::Udp;
  frames.request = [](Rng& rng) {
    return krpc_query(rng, bittorrent::dht::GetPeers{bittorrent::dht::NodeId::random(rng)}, "gp");
  };
  frames.probe = [](Rng& rng) { return krpc_query(rng, bittorrent::dht::Ping{}, "pg"); };
  Rng rng(1);
  std::string ping(as_chars(krpc_query(rng, bittorrent::dht::Ping{}, "hostile")));
  std::string field = "7:hostile";
  ping.replace(ping.find(field), 2, std::to_string(kFourGiB) + ":");
  frames.huge_length = to_bytes(ping);
  return frames;
}

// The launcher's ZeroMQ endpoints (labs/launcher) in ZMTP 3.0 with the NULL mechanism: the opening is the
// greeting and a READY, answered by the launcher's own. As REQ, the command server's protocol
// (command_server.h); as PUB, a node's telemetry record to the collector (recorder.cpp's XSUB, which sends
// its subscription to everything first); as SUB, subscriptions to the control or watchers' endpoint, where
// the records the watchers' endpoint forwards are the answer. (libzmq 4.3 drops a SUB whose subscription
// comes in the same segment as its READY, so the subscription is the request, after the handshake.) The
// largest length is a long frame (flags 0x02) whose 8-byte length says 4 GiB.
Expected<TargetFrames> control(const TargetConfig& config) {
  TargetFrames frames;
  Bytes opening = zmtp::greeting();
  Bytes ready = zmtp::ready(config.socket_type);
  opening.insert(opening.end(), ready.begin(), ready.end());
  frames.huge_length = zmtp::long_frame_head(kFourGiB);
  if (config.socket_type == "REQ") {
    frames.hello_reply_bytes = zmtp::kGreetingBytes + zmtp::ready_bytes("REP");
    frames.request = [](Rng&) { return zmtp::request(R"({"cmd":"nodes"})"); };
    frames.probe = [](Rng&) { return zmtp::request(R"({"cmd":"info"})"); };
    frames.huge_length.insert(frames.huge_length.begin(), {0x01, 0x00});  // the empty delimiter frame first
  } else if (config.socket_type == "PUB") {
    Bytes subscription = zmtp::subscribe_all();
    frames.hello_reply_bytes = zmtp::kGreetingBytes + zmtp::ready_bytes("XSUB") + subscription.size();
    frames.request = [](Rng& rng) {
      telemetry::Origin origin{"hostile" + std::to_string(rng.next() % 1000000), "hostile", "hostile"};
      return zmtp::frame(as_bytes(telemetry::make_event(origin, 0, "hostile", {}).dump()), false);
    };
    frames.probe = frames.request;
  } else if (config.socket_type == "SUB") {
    frames.hello_reply_bytes = zmtp::kGreetingBytes + zmtp::ready_bytes("XPUB");
    frames.request = [](Rng&) { return zmtp::subscribe_all(); };
    frames.probe = frames.request;
  } else {
    return make_error("--socket-type: REQ, PUB or SUB, not '" + config.socket_type + "'");
  }
  frames.hello = [opening](Rng&) { return opening; };
  return frames;
}

}  // namespace

std::vector<std::string> target_names() {
  return {"napster-server", "napster-peer", "gnutella",  "kazaa",   "bt-tracker",
          "bt-peer",        "bt-dht",       "cs-source", "cs-peer", "control"};
}

Expected<TargetFrames> target_frames(std::string_view target, const TargetConfig& config) {
  if (target == "napster-server") return napster_server();
  if (target == "napster-peer") return napster_peer(config);
  if (target == "gnutella") return gnutella_servent();
  if (target == "kazaa") return kazaa_supernode();
  if (target == "bt-tracker") return bt_tracker();
  if (target == "bt-peer") return bt_peer(config);
  if (target == "bt-dht") return bt_dht();
  if (target == "cs-source") return cs_source();
  if (target == "cs-peer") return cs_peer();
  if (target == "control") return control(config);
  return make_error("unknown target '" + std::string(target) + "'");
}

}  // namespace p2p::hostile

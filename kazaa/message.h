// The messages p2plab's KaZaA speaks: one struct per kind, modelled on FastTrack's session messages as the
// giFT-FastTrack notes list them (fst_session.h), with the limits beside them. kazaa/PROTOCOL.md gives the
// bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/content/safe_name.h"
#include "common/net/endpoint.h"
#include "common/util/hash.h"
#include "kazaa/supernode_entry.h"

namespace p2p::kazaa {

// FastTrack's SearchResultsMax (and giFT-FastTrack's FST_MAX_SEARCH_RESULTS): no query asks for more, no
// reply carries more.
inline constexpr std::size_t kMaxResults = 200;
// User names are bare nicks, as in Napster (OpenNap's default nick limit).
inline constexpr std::size_t kMaxUserNameBytes = 32;
// File names, search words and metadata values: one length byte, and no file name may exceed NAME_MAX.
inline constexpr std::size_t kMaxTextBytes = content::kMaxNameBytes;
// FastTrack describes a file by a handful of tags (title, artist, album, codec, ...); 16 is ample.
inline constexpr std::size_t kMaxMetadata = 16;
inline constexpr std::size_t kMaxMetadataKeyBytes = 32;
// The largest message is a QueryReply of kMaxResults long-named results (kazaa/PROTOCOL.md, "Limits").
inline constexpr std::size_t kMaxPayload = std::size_t{64} * 1024;

// The type byte of a frame. Where FastTrack has the message, p2plab keeps its number (giFT-FastTrack's
// FSTSessionMsg; Ping and Pong are the bare 0x50/0x52 bytes of the FastTrack stream); the kinds FastTrack
// leaves unknown (its supernode-to-supernode traffic) or implicit get numbers from 0x60 on.
enum class MessageType : std::uint8_t {
  SupernodeList = 0x00,
  Login = 0x02,
  Unshare = 0x05,
  Query = 0x06,
  QueryReply = 0x07,
  SearchEnd = 0x08,
  NetworkStats = 0x09,
  ShareFile = 0x22,
  Ping = 0x50,
  Pong = 0x52,
  AttachAccept = 0x60,
  AttachRefuse = 0x61,
  SearchForward = 0x62,
  Handoff = 0x63,
};

// 0x00, FastTrack's "SN refresh list": supernodes the sender knows, from an ordinary node's bootstrap
// contact and between supernodes.
struct SupernodeList {
  static constexpr MessageType kType = MessageType::SupernodeList;
  std::vector<SupernodeEntry> entries;  // at most kMaxSupernodeEntries
  bool operator==(const SupernodeList&) const = default;
};

// 0x02, FastTrack's user/node info: who the sender is and what it could offer as a supernode (the election's
// inputs: bandwidth, uptime, an open port; Liang, Kumar, Ross 2004, section 3).
struct Login {
  static constexpr MessageType kType = MessageType::Login;
  std::string user_name;          // 1..kMaxUserNameBytes, no control bytes
  std::uint16_t listen_port = 0;  // where its HTTP uploads (and, as a supernode, its sessions) are served
  std::uint32_t upload_kbps = 0;
  std::uint32_t uptime_s = 0;
  bool reachable = false;  // others can connect to listen_port (not behind NAT or a firewall)
  bool supernode = false;  // a supernode opening a neighbour link, not a child attaching
  bool operator==(const Login&) const = default;
};

// The supernode takes the sender as a child and hands it a fresh list (FastTrack answers a login with
// 0x00; p2plab names the answer so a refusal can be told from it).
struct AttachAccept {
  static constexpr MessageType kType = MessageType::AttachAccept;
  std::vector<SupernodeEntry> fresh;  // at most kMaxSupernodeEntries
  bool operator==(const AttachAccept&) const = default;
};

// A supernode with its children's quota full says no and names others to try.
struct AttachRefuse {
  static constexpr MessageType kType = MessageType::AttachRefuse;
  std::vector<SupernodeEntry> alternatives;  // at most kMaxSupernodeEntries
  bool operator==(const AttachRefuse&) const = default;
};

// One descriptive tag of a shared file ("artist" = "..."). FastTrack numbers its tags; p2plab names them.
struct MetadataPair {
  std::string key;    // 1..kMaxMetadataKeyBytes, no control bytes
  std::string value;  // 0..kMaxTextBytes, no control bytes
  bool operator==(const MetadataPair&) const = default;
};

// 0x22: a child tells its supernode about one shared file.
struct ShareFile {
  static constexpr MessageType kType = MessageType::ShareFile;
  std::string name;        // passes content::check_safe_name
  std::uint64_t size = 0;  // bytes
  Sha1Digest hash{};       // SHA-1 of the contents; the download asks for it by `GET /.hash=<40 hex>`
  std::vector<MetadataPair> metadata;  // at most kMaxMetadata
  bool operator==(const ShareFile&) const = default;
};

// 0x05: the file with this hash is no longer shared.
struct Unshare {
  static constexpr MessageType kType = MessageType::Unshare;
  Sha1Digest hash{};
  bool operator==(const Unshare&) const = default;
};

// 0x06: a child searches through its supernode. The id is the child's, echoed in every reply and the end.
struct Query {
  static constexpr MessageType kType = MessageType::Query;
  std::uint16_t query_id = 0;
  std::string words;                        // 1..kMaxTextBytes, no control bytes
  std::uint16_t max_results = kMaxResults;  // 1..kMaxResults
  bool operator==(const Query&) const = default;
};

// One match: where to fetch it and what it is.
struct QueryResult {
  Endpoint owner;          // the sharing node's HTTP address (IPv4)
  std::string owner_name;  // 1..kMaxUserNameBytes, no control bytes
  Sha1Digest hash{};
  std::uint64_t size = 0;
  std::string name;  // passes content::check_safe_name
  bool operator==(const QueryResult&) const = default;
};

// 0x07: the matches one supernode found, in one message per answering supernode.
struct QueryReply {
  static constexpr MessageType kType = MessageType::QueryReply;
  std::uint16_t query_id = 0;
  Endpoint supernode;                // the supernode whose index answered
  std::vector<QueryResult> results;  // at most kMaxResults
  bool operator==(const QueryReply&) const = default;
};

// 0x08: no more replies will come for this query.
struct SearchEnd {
  static constexpr MessageType kType = MessageType::SearchEnd;
  std::uint16_t query_id = 0;
  bool operator==(const SearchEnd&) const = default;
};

// A supernode asks another to search its index for a query the sender drives (FastTrack forwards a query to
// SearchIndirectNodes others). The id is the originating supernode's; the answer is a QueryReply with it.
struct SearchForward {
  static constexpr MessageType kType = MessageType::SearchForward;
  std::uint16_t query_id = 0;
  Endpoint origin;                          // the supernode driving the query
  std::string words;                        // 1..kMaxTextBytes, no control bytes
  std::uint16_t max_results = kMaxResults;  // 1..kMaxResults
  bool operator==(const SearchForward&) const = default;
};

// 0x09: what the sender's part of the network holds.
struct NetworkStats {
  static constexpr MessageType kType = MessageType::NetworkStats;
  std::uint32_t users = 0;
  std::uint32_t files = 0;
  std::uint64_t total_bytes = 0;
  bool operator==(const NetworkStats&) const = default;
};

// 0x50: liveness, and with its Pong one round-trip time.
struct Ping {
  static constexpr MessageType kType = MessageType::Ping;
  std::uint32_t nonce = 0;
  bool operator==(const Ping&) const = default;
};

// 0x52: the Ping's nonce back, with the supernode's load, so one round trip gives both what the attach
// choice weighs (RTT first, load too: PROTOCOLS.md, "Joining").
struct Pong {
  static constexpr MessageType kType = MessageType::Pong;
  std::uint32_t nonce = 0;
  std::uint8_t load_percent = 0;  // 0..100
  bool operator==(const Pong&) const = default;
};

// A supernode that demotes tells its children to re-attach elsewhere.
struct Handoff {
  static constexpr MessageType kType = MessageType::Handoff;
  std::vector<SupernodeEntry> alternatives;  // at most kMaxSupernodeEntries
  bool operator==(const Handoff&) const = default;
};

using Message = std::variant<SupernodeList, Login, AttachAccept, AttachRefuse, ShareFile, Unshare, Query,
                             QueryReply, SearchEnd, SearchForward, NetworkStats, Ping, Pong, Handoff>;

inline MessageType type_of(const Message& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, message);
}

}  // namespace p2p::kazaa

// The OpenNap messages p2plab's Napster speaks: one struct per message type, as napster.txt section 2 lists
// them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "common/net/endpoint.h"
#include "common/util/hash.h"

namespace p2p::napster {

// The payload cap of a frame. The longest message a well-behaved node sends is a search result or a share
// with a 255-byte name, under 450 bytes; 4 KiB leaves ample room and bounds what a bad peer makes us buffer.
inline constexpr std::size_t kMaxPayload = 4096;
// Nicks are bare words; 32 bytes is OpenNap's default nick length limit.
inline constexpr std::size_t kMaxNickBytes = 32;
// napster.txt, message 200: "if [max] is greater than 100, the server will only return 100 results". The one
// definition of the result cap: the server's index applies it, and the peer and its flags check against it.
inline constexpr std::uint32_t kMaxResults = 100;
// Link types run from 0 (unknown) to 10 (T3 or greater), napster.txt message 2.
inline constexpr std::uint32_t kMaxLinkType = 10;

enum class MessageType : std::uint16_t {
  Error = 0,
  Login = 2,
  LoginAck = 3,
  Share = 100,
  Unshare = 102,
  Search = 200,
  SearchResult = 201,
  SearchEnd = 202,
  DownloadRequest = 203,
  DownloadAck = 204,
  DownloadError = 206,
  BrowseRequest = 211,
  BrowseEntry = 212,
  BrowseEnd = 213,
  Stats = 214,
};

// What a share (100), a search result (201) and a browse entry (212) say about one file. Bitrate, frequency
// and play time are MP3 facts that the index only carries along.
struct FileInfo {
  std::string name;
  Md5Digest md5{};
  std::uint64_t size = 0;  // bytes
  std::uint32_t bitrate = 128;
  std::uint32_t frequency = 44100;
  std::uint32_t seconds = 0;
  bool operator==(const FileInfo&) const = default;
};

// 0: `<message>`. napster.txt keeps 0 for login errors and 404 for later ones; p2plab uses 0 for both.
struct ErrorMessage {
  static constexpr MessageType kType = MessageType::Error;
  std::string text;
  bool operator==(const ErrorMessage&) const = default;
};

// 2: `<nick> <password> <port> "<client-info>" <link-type>`. Port 0 means firewalled: no inbound transfers.
struct Login {
  static constexpr MessageType kType = MessageType::Login;
  std::string nick;
  std::string password;
  std::uint16_t data_port = 0;
  std::string client_info;
  std::uint32_t link_type = 0;
  bool operator==(const Login&) const = default;
};

// 3: `<email>`, a dummy value for unregistered nicks.
struct LoginAck {
  static constexpr MessageType kType = MessageType::LoginAck;
  std::string email;
  bool operator==(const LoginAck&) const = default;
};

// 100: `"<filename>" <md5> <size> <bitrate> <frequency> <time>`.
struct ShareFile {
  static constexpr MessageType kType = MessageType::Share;
  FileInfo file;
  bool operator==(const ShareFile&) const = default;
};

// 102: `"<filename>"`. napster.txt shows the name bare, but names hold spaces, so p2plab quotes it as in 100.
struct UnshareFile {
  static constexpr MessageType kType = MessageType::Unshare;
  std::string name;
  bool operator==(const UnshareFile&) const = default;
};

// 200: `FILENAME CONTAINS "<words>" MAX_RESULTS <max>`. Several FILENAME CONTAINS clauses add their words;
// the LINESPEED, BITRATE and FREQ filters of napster.txt are not supported and decode to an error.
struct SearchRequest {
  static constexpr MessageType kType = MessageType::Search;
  std::string words;
  std::uint32_t max_results = kMaxResults;
  bool operator==(const SearchRequest&) const = default;
};

// 201: `"<filename>" <md5> <size> <bitrate> <frequency> <length> <nick> <ip> <link-type> <port>`.
// Deviation: napster.txt ends at <link-type>; the owner's data port lives only in the 204 download ack.
// p2plab appends <port> as one more trailing field (the place SlavaNap and others append their extras), so a
// result alone says where to fetch the file. A client that reads napster.txt's nine fields still parses it.
struct SearchResult {
  static constexpr MessageType kType = MessageType::SearchResult;
  FileInfo file;
  std::string nick;
  std::uint32_t ip = 0;  // napster.txt's "unsigned long" form, see napster_ip()
  std::uint32_t link_type = 0;
  std::uint16_t data_port = 0;
  bool operator==(const SearchResult&) const = default;
};

// 202: no data.
struct SearchEnd {
  static constexpr MessageType kType = MessageType::SearchEnd;
  bool operator==(const SearchEnd&) const = default;
};

// 203: `<nick> "<filename>"`: where is this file of that user?
struct DownloadRequest {
  static constexpr MessageType kType = MessageType::DownloadRequest;
  std::string nick;
  std::string name;
  bool operator==(const DownloadRequest&) const = default;
};

// 204: `<nick> <ip> <port> "<filename>" <md5> <linespeed>`: the owner's address and data port.
struct DownloadAck {
  static constexpr MessageType kType = MessageType::DownloadAck;
  std::string nick;
  std::uint32_t ip = 0;
  std::uint16_t data_port = 0;
  std::string name;
  Md5Digest md5{};
  std::uint32_t link_type = 0;
  bool operator==(const DownloadAck&) const = default;
};

// 206: `<nick> "<filename>"`: the file is unavailable (its owner left or unshared it). napster.txt sends the
// name bare; p2plab quotes it as everywhere else. Without it a refused 203 could not be told from other
// errors.
struct DownloadError {
  static constexpr MessageType kType = MessageType::DownloadError;
  std::string nick;
  std::string name;
  bool operator==(const DownloadError&) const = default;
};

// 211: `<nick>`: list that user's files.
struct BrowseRequest {
  static constexpr MessageType kType = MessageType::BrowseRequest;
  std::string nick;
  bool operator==(const BrowseRequest&) const = default;
};

// 212: `<nick> "<filename>" <md5> <size> <bitrate> <frequency> <time>`.
struct BrowseEntry {
  static constexpr MessageType kType = MessageType::BrowseEntry;
  std::string nick;
  FileInfo file;
  bool operator==(const BrowseEntry&) const = default;
};

// 213: `<nick>`: no more entries for that user.
struct BrowseEnd {
  static constexpr MessageType kType = MessageType::BrowseEnd;
  std::string nick;
  bool operator==(const BrowseEnd&) const = default;
};

// 214 from a client: no data.
struct StatsRequest {
  static constexpr MessageType kType = MessageType::Stats;
  bool operator==(const StatsRequest&) const = default;
};

// 214 from the server: `<users> <# files> <size>`, the size in (binary) gigabytes, rounded down.
struct ServerStats {
  static constexpr MessageType kType = MessageType::Stats;
  std::uint64_t users = 0;
  std::uint64_t files = 0;
  std::uint64_t gigabytes = 0;
  bool operator==(const ServerStats&) const = default;
};

using Message = std::variant<ErrorMessage, Login, LoginAck, ShareFile, UnshareFile, SearchRequest,
                             SearchResult, SearchEnd, DownloadRequest, DownloadAck, DownloadError,
                             BrowseRequest, BrowseEntry, BrowseEnd, StatsRequest, ServerStats>;

inline MessageType type_of(const Message& message) {
  return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, message);
}

// napster.txt sends IPv4 addresses as an "unsigned long": the address's bytes in network order read as a
// little-endian integer (the raw in_addr of an x86 client), so 127.0.0.1 travels as 16777343.
std::uint32_t napster_ip(const Endpoint& endpoint);
Endpoint endpoint_from_napster_ip(std::uint32_t ip, std::uint16_t port);

}  // namespace p2p::napster

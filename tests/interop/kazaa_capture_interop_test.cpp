// KaZaA interop with Wireshark on a live lab: tshark captures 30 kazaa-node processes (3 supernodes, 27
// ordinary nodes) on loopback while they attach, share, ping, search and download, and the dissector shipped
// in kazaa/kazaa.lua decodes every packet of it, message by message, with no malformed field (issue 13,
// point 5).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/util/encoding.h"
#include "kazaa/codec.h"
#include "tests/bench/bench_util.h"
#include "tests/interop/captured_bytes.h"
#include "tests/interop/interop_util.h"

namespace p2p::interop {
namespace {

constexpr auto kStartLimit = std::chrono::seconds(5);
// A pass of tshark over the capture needs under a second of CPU, but on a machine loaded far past its cores
// one took over 30 s to get it.
constexpr auto kToolLimit = std::chrono::seconds(60);
constexpr std::size_t kSupernodes = 3;
constexpr std::size_t kNodes = 30;

// One captured TCP segment, as tshark decodes it (the fields packets() asks for).
struct Packet {
  std::string number;
  std::string stream;
  std::string protocols;       // frame.protocols: "eth:ethertype:ip:tcp:kazaa"
  std::string reassembled_in;  // set on a segment that only carries part of a later frame's message
  std::string kazaa_types;     // every KaZaA frame in it: "0x52,0x63"
  std::string http_method;
  std::string http_status;
  std::string direction;        // the stream and the sending port: "12:40001"
  std::uint64_t seq = 0;        // relative: 1 is the first byte after the SYN
  Bytes payload;                // empty on a SYN
  bool retransmission = false;  // tshark saw these sequence numbers go by before
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

bool has_protocol(const Packet& packet, const std::string& name) {
  return (packet.protocols + ":").find(":" + name + ":") != std::string::npos;
}

class KazaaLabCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("tshark"), "tshark is not installed");
    for (std::size_t node = 0; node < kNodes; ++node)
      ports_.push_back(static_cast<std::uint16_t>(bench::free_port()));
  }

  std::string endpoint(std::size_t node) const { return "127.0.0.1:" + std::to_string(ports_[node]); }
  std::filesystem::path log(std::size_t node) const {
    return dir_ / ("node" + std::to_string(node) + ".log");
  }

  // Supernodes share nothing and link to the ones started before them; each takes at most 10 children, so
  // 27 ordinary nodes that pick by RTT meet full ones and move on (AttachRefuse). Ordinary nodes ship with
  // the three supernodes, share 3 files of a 20-file catalogue and search once a second, so most searches
  // hit and lead to a download over HTTP on the same ports.
  std::unique_ptr<Process> start_node(std::size_t node) {
    std::vector<std::string> argv = {"kazaa-node", "--listen", endpoint(node),          "--catalogue-files",
                                     "20",         "--seed",   std::to_string(node + 1)};
    std::string bootstrap;
    for (std::size_t super = 0; super < std::min(node, kSupernodes); ++super)
      bootstrap += (bootstrap.empty() ? "" : ",") + endpoint(super);
    if (!bootstrap.empty()) argv.insert(argv.end(), {"--bootstrap", bootstrap});
    if (node < kSupernodes) {
      argv.insert(argv.end(), {"--role", "super", "--max-children", "10", "--free-rider"});
    } else {
      argv.insert(argv.end(),
                  {"--role", "ordinary", "--query-rate", "1", "--nodes", std::to_string(kNodes - kSupernodes),
                   "--node-index", std::to_string(node - kSupernodes), "--files-per-node", "3",
                   "--min-file-size", "1K", "--max-file-size", "4K"});
    }
    return std::make_unique<Process>(argv, log(node));
  }

  // tshark on the capture with the dissector loaded; `extra` follows. A node's port carries both KaZaA
  // sessions and HTTP downloads (kazaa/port_framer.h), so each connection goes by its first segment: the
  // KaZaA and HTTP heuristics, tried before the port table (where a random lab port may name some other
  // protocol). Two passes, so a segment knows the later frame its message is reassembled in. Returns what
  // tshark prints.
  std::string decode(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {"tshark",
                                     "-X",
                                     dissector_flag("kazaa/kazaa.lua"),
                                     "-r",
                                     capture_path().string(),
                                     "-2",
                                     "-o",
                                     "tcp.try_heuristic_first:TRUE",
                                     "--enable-heuristic",
                                     "http_tcp"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process tshark(argv, dir_ / "decode.log", dir_ / "decode.txt");
    EXPECT_EQ(tshark.wait(kToolLimit), 0) << read_text(dir_ / "decode.log");
    // A script that fails to load is reported on standard error, not as a failed exit.
    EXPECT_EQ(read_text(dir_ / "decode.log").find("Lua"), std::string::npos)
        << read_text(dir_ / "decode.log");
    return read_text(dir_ / "decode.txt");
  }

  // Every TCP segment with a payload and every SYN that opens a connection, in capture order (one pass:
  // tshark takes seconds per pass on a busy machine).
  std::vector<Packet> packets() {
    std::string segments_and_syns = "tcp.len > 0 || (tcp.flags.syn == 1 && tcp.flags.ack == 0)";
    std::vector<std::string> argv = {"-Y", segments_and_syns, "-T", "fields", "-E", "separator=/t"};
    for (const char* field : {"frame.number", "tcp.stream", "frame.protocols", "tcp.reassembled_in",
                              "kazaa.type", "http.request.method", "http.response.code", "tcp.srcport",
                              "tcp.seq", "tcp.payload", "tcp.analysis.retransmission"})
      argv.insert(argv.end(), {"-e", field});
    std::vector<Packet> result;
    for (const std::string& line : split(decode(argv), '\n')) {
      std::vector<std::string> f = split(line + "\t", '\t');
      f.resize(11);
      result.push_back({.number = f[0],
                        .stream = f[1],
                        .protocols = f[2],
                        .reassembled_in = f[3],
                        .kazaa_types = f[4],
                        .http_method = f[5],
                        .http_status = f[6],
                        .direction = f[1] + ":" + f[7],
                        .seq = std::stoull(f[8]),
                        .payload = from_hex(f[9]).value_or(Bytes{}),
                        .retransmission = !f[10].empty()});
    }
    return result;
  }

  std::filesystem::path capture_path() const { return dir_ / "kazaa.pcapng"; }

  ScratchDir dir_;
  std::vector<std::uint16_t> ports_;
};

TEST_F(KazaaLabCaptureTest, TsharkDecodesEveryPacketOfAThirtyNodeLabWithNoMalformedField) {
  std::string filter;
  for (std::uint16_t port : ports_)
    filter += (filter.empty() ? "" : " or ") + ("tcp port " + std::to_string(port));
  Process capture({"tshark", "-i", "lo", "-f", filter, "-w", capture_path().string()}, dir_ / "capture.log");
  P2P_NEEDS(capture_started(dir_ / "capture.log"),
            "cannot capture on lo: " << read_text(dir_ / "capture.log"));

  // Supernodes first (ordinary nodes join from them), then everyone; a few heartbeats and searches later,
  // everyone stops before the capture does.
  std::vector<std::unique_ptr<Process>> nodes;
  for (std::size_t node = 0; node < kNodes; ++node) {
    nodes.push_back(start_node(node));
    if (node < kSupernodes) {
      ASSERT_TRUE(port_open(ports_[node], kStartLimit)) << read_text(log(node));
    }
  }
  for (std::size_t node = kSupernodes; node < kNodes; ++node)
    ASSERT_TRUE(port_open(ports_[node], kStartLimit)) << read_text(log(node));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  for (auto& node : nodes) node->stop();
  stop_capture(capture);

  // Each TCP connection is a KaZaA session or an HTTP download (the first byte settles it,
  // kazaa/port_framer.h): every segment of it is a decoded KaZaA message, a real HTTP request or response,
  // part of one that a later segment completes, or a resent copy of bytes already captured.
  std::vector<Packet> all = packets();
  ASSERT_GT(all.size(), 500u) << "too little traffic captured";
  std::map<std::string, std::set<std::string>> stream_protocols;
  std::set<std::string> opened;  // the streams whose SYN is in the capture
  std::set<std::string> kinds;
  std::size_t downloads = 0;
  CapturedBytes captured;
  for (const Packet& packet : all) {
    if (packet.payload.empty()) {
      opened.insert(packet.stream);
      continue;
    }
    bool kazaa = has_protocol(packet, "kazaa");
    bool http = has_protocol(packet, "http") && (!packet.http_method.empty() || !packet.http_status.empty());
    if (kazaa || http) stream_protocols[packet.stream].insert(kazaa ? "kazaa" : "http");
    // On a busy machine the kernel resends a segment whose ACK is late (the Tail Loss Probe, RFC 8985 7),
    // although the receiver had it: the next ACK reports the copy as a duplicate (a D-SACK, RFC 2883).
    // Wireshark decodes those bytes with their first copy and shows the second as bare TCP, so that copy
    // passes only if it repeats, byte for byte, what this direction already carried; its first copy met
    // this same check.
    bool copy = packet.retransmission && captured.holds(packet.direction, packet.seq, packet.payload);
    captured.record(packet.direction, packet.seq, packet.payload);
    EXPECT_TRUE(kazaa || http || !packet.reassembled_in.empty() || copy)
        << "packet " << packet.number << " (TCP stream " << packet.direction << ", seq " << packet.seq << ", "
        << packet.payload.size() << " bytes" << (packet.retransmission ? ", a retransmission" : "")
        << ") is neither KaZaA nor HTTP nor a copy of bytes already captured: " << packet.protocols;
    for (const std::string& type : split(packet.kazaa_types, ',')) kinds.insert(type);
    if (packet.http_method == "GET") ++downloads;
  }
  // What a connection is follows from its first bytes, so each must be in the capture from its SYN on (the
  // nodes start only once the capture has, capture_started).
  for (const auto& [stream, protocols] : stream_protocols) {
    EXPECT_EQ(protocols.size(), 1u) << "TCP stream " << stream << " mixes KaZaA and HTTP";
    EXPECT_TRUE(opened.contains(stream)) << "TCP stream " << stream << " began before the capture";
  }

  // Every kind a lab sends, decoded at least once (named on failure).
  using kazaa::MessageType;
  for (MessageType type :
       {MessageType::SupernodeList, MessageType::Login, MessageType::ShareFile, MessageType::Query,
        MessageType::QueryReply, MessageType::SearchEnd, MessageType::SearchForward, MessageType::Ping,
        MessageType::Pong, MessageType::AttachAccept, MessageType::AttachRefuse}) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(type));
    EXPECT_TRUE(kinds.contains(hex)) << kazaa::type_name(type) << " never decoded";
  }
  EXPECT_GT(downloads, 0u) << "no download over HTTP";

  EXPECT_EQ(decode({"-Y", "_ws.malformed or _ws.expert.severity >= \"error\""}), "")
      << "tshark flags packets as malformed or in error";
}

}  // namespace
}  // namespace p2p::interop

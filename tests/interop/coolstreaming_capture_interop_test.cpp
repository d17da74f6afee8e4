// CoolStreaming interop with Wireshark on a live lab (issue 14, point 5): tshark captures the lab's ports on
// loopback while `p2plab run` plays labs/06-coolstreaming/baseline.ini scaled down to 30 peers (and a viewer
// who leaves), and the dissector shipped in coolstreaming/coolstreaming.lua decodes every packet of it, frame
// by frame, with no malformed field.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coolstreaming/message.h"
#include "tests/bench/bench_util.h"
#include "tests/interop/interop_util.h"
#include "tests/interop/loopback_capture.h"
#include "tests/labs/launcher_harness.h"

namespace p2p::interop {
namespace {

using labs::testing::Launcher;
using labs::testing::TempDir;
using namespace std::chrono_literals;
namespace cs = coolstreaming;

// The source, 30 peers and a viewer: node k of the run listens on first port + k (p2plab run --first-port).
constexpr int kNodes = 32;
// The largest frame on the wire: a Segment's header, id and payload (PROTOCOL.md, "Framing").
constexpr std::size_t kMaxFrameBytes = cs::kHeaderBytes + 4 + cs::kMaxSegmentPayload;

// The baseline lab, scaled down: 30 peers arriving within 5 s. A viewer that does not upload (--no-upload)
// joins too and leaves at 10 s, so that a Leave is on the wire: with no video queued on its shaped uplink,
// its goodbye goes out at once (an uploading peer's can wait behind up to a period of video, longer than a
// node's flush on exit). The lab ends at 14 s; the capture stops before that, once the viewer is gone.
std::vector<std::string> lab_args(const std::string& out, int first_port) {
  std::vector<std::string> args = {"run",
                                   labs::testing::source("labs/06-coolstreaming/baseline.ini"),
                                   "--headless",
                                   "--out",
                                   out,
                                   "--first-port",
                                   std::to_string(first_port),
                                   "--duration",
                                   "14"};
  for (const char* setting : {"role.peer.count=30", "role.peer.arrival=flash:5", "role.viewer.binary=cs-peer",
                              "role.viewer.link=adsl", "role.viewer.args=--source {source-0} --no-upload",
                              "timeline.at=10 leave viewer-0"})
    args.insert(args.end(), {"--set", setting});
  return args;
}

// Whether the launcher has recorded that `node` exited (its node_exited event in events.jsonl).
bool exited(const std::string& out, const std::string& node) {
  std::istringstream lines(read_text(out + "/events.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    auto r = nlohmann::json::parse(line, nullptr, false);
    if (r.is_object() && r.value("event", "") == "node_exited" && r["data"].value("node", "") == node)
      return true;
  }
  return false;
}

// A type as tshark prints coolstreaming.type: "0x30".
std::string hex(cs::MessageType type) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", static_cast<unsigned>(type));
  return text;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

// One captured TCP segment with a payload or a close, as tshark decodes it.
struct Packet {
  std::string number;
  std::string side;            // "stream:source port": one direction of one TCP connection
  std::string other_side;      // "stream:destination port": the opposite direction
  std::size_t bytes = 0;       // its TCP payload
  bool decoded = false;        // a CoolStreaming frame ends in it
  bool part_of_later = false;  // its bytes belong to a frame a later segment completes
  bool closes = false;         // FIN or RST: the side sends nothing more
  bool retransmitted = false;  // a copy of bytes sent before (TCP resends on a loaded machine, even on lo)
  std::vector<std::string> types;  // the type of each frame that ends in it: "0x30"
};

// What one side of a connection sent after its last complete frame, and how it ended.
struct SideEnd {
  std::size_t bytes = 0;
  std::string from;            // the first packet of those bytes
  bool closed = false;         // it sent FIN or RST
  bool closed_second = false;  // the other side had closed first: its reader left in the middle of a frame
};

class CoolStreamingCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override { P2P_NEEDS(on_path("tshark"), "tshark is not installed"); }

  // tshark on the capture with the dissector loaded, `extra` after; returns what it prints. Lab ports may be
  // ones Wireshark gives some other protocol, so the heuristic (the CoolStreaming header) goes first; two
  // passes, so a segment knows the later frame its bytes are reassembled in.
  std::string decode(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {"tshark",
                                     "-X",
                                     dissector_flag("coolstreaming/coolstreaming.lua"),
                                     "-r",
                                     capture_file(),
                                     "-2",
                                     "-o",
                                     "tcp.try_heuristic_first:TRUE"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process tshark(argv, dir_.path() + "/decode.log", dir_.path() + "/decode.txt");
    EXPECT_EQ(tshark.wait(60s), 0) << read_text(dir_.path() + "/decode.log");
    // A script that fails to load or run is reported on standard error, not as a failed exit.
    EXPECT_EQ(read_text(dir_.path() + "/decode.log").find("Lua"), std::string::npos)
        << read_text(dir_.path() + "/decode.log");
    return read_text(dir_.path() + "/decode.txt");
  }

  // Every TCP segment with a payload or a close, in capture order.
  std::vector<Packet> packets() {
    std::vector<std::string> argv = {"-Y", "tcp.len > 0 or tcp.flags.fin == 1 or tcp.flags.reset == 1",
                                     "-T", "fields",
                                     "-E", "separator=/t"};
    for (const char* field : {"frame.number", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.len",
                              "frame.protocols", "tcp.reassembled_in", "tcp.flags.fin", "tcp.flags.reset",
                              "tcp.analysis.retransmission", "coolstreaming.type"})
      argv.insert(argv.end(), {"-e", field});
    std::vector<Packet> result;
    for (const std::string& line : split(decode(argv), '\n')) {
      std::vector<std::string> f = split(line + "\t", '\t');
      f.resize(11);
      result.push_back({.number = f[0],
                        .side = f[1] + ":" + f[2],
                        .other_side = f[1] + ":" + f[3],
                        .bytes = std::stoul(f[4]),
                        .decoded = (f[5] + ":").find(":coolstreaming:") != std::string::npos,
                        .part_of_later = !f[6].empty(),
                        .closes = f[7] == "1" || f[8] == "1",
                        .retransmitted = !f[9].empty(),
                        .types = split(f[10], ',')});
    }
    return result;
  }

  std::string capture_file() const { return dir_.path() + "/coolstreaming.pcapng"; }

  TempDir dir_;
};

TEST_F(CoolStreamingCaptureTest, TsharkDecodesEveryPacketOfAThirtyPeerLabWithNoMalformedField) {
  // The capture takes the lab's ports and nothing else: below the ephemeral range, no other connection on lo
  // uses them. It is proven live (a probe on the source's port, before the source listens) before the lab
  // starts, so every connection is captured from its first byte.
  const auto began = std::chrono::steady_clock::now();
  int first = bench::free_port_run(kNodes);
  ASSERT_NE(first, 0) << "no " << kNodes << " free ports in a row";
  const std::string filter =
      "tcp portrange " + std::to_string(first) + "-" + std::to_string(first + kNodes - 1);
  LoopbackCapture capture(capture_file(), filter, dir_.path() + "/capture.log");
  P2P_NEEDS(capture.wait_capturing(static_cast<std::uint16_t>(first), kCaptureStartLimit),
            "cannot capture on lo: " << capture.log());

  // The lab runs; once the viewer has left, and its partners have had a moment to pass the Leave on, the
  // capture stops, before the lab's end stops every node.
  const std::string out = dir_.path() + "/run";
  Launcher lab(lab_args(out, first), dir_.path() + "/lab.txt");
  ASSERT_TRUE(labs::testing::eventually([&] { return exited(out, "viewer-0"); }, 30s)) << lab.output();
  std::this_thread::sleep_for(1s);
  capture.stop();
  ASSERT_EQ(lab.wait(30s), std::optional<int>(0)) << lab.output();
  EXPECT_EQ(capture.log().find("dropped"), std::string::npos)
      << "the capture lost packets: " << capture.log();

  // Every segment with a payload holds the end of a decoded frame or bytes of a frame a later segment
  // completes. The one exception is a frame cut short at the end of a side, so at most one frame's worth: the
  // capture stopped while the side was still sending it, or the other side (a node leaving) closed the
  // connection before it was done. A side that closed the connection first sent whole frames. A TCP
  // retransmission repeats bytes already decoded, which Wireshark does not dissect twice.
  const double lab_s = bench::seconds_since(began);
  std::vector<Packet> all = packets();
  std::map<std::string, SideEnd> ends;
  std::map<std::string, std::size_t> frames;  // per type
  std::size_t with_payload = 0, retransmitted = 0;
  for (const Packet& packet : all) {
    if (packet.retransmitted) {
      ++retransmitted;
      continue;
    }
    SideEnd& end = ends[packet.side];
    for (const std::string& type : packet.types) ++frames[type];
    if (packet.decoded || packet.part_of_later) {
      EXPECT_EQ(end.bytes, 0u) << "packets " << end.from << " to " << packet.number
                               << " are not CoolStreaming";
      end.bytes = 0;
    } else if (packet.bytes > 0) {
      if (end.bytes == 0) end.from = packet.number;
      end.bytes += packet.bytes;
    }
    if (packet.closes && !end.closed) {
      end.closed = true;
      end.closed_second = ends[packet.other_side].closed;
    }
    if (packet.bytes > 0) ++with_payload;
  }
  ASSERT_GT(with_payload, 1000u) << "too little traffic captured";
  std::size_t cut_sides = 0;
  for (const auto& [side, end] : ends) {
    if (end.bytes == 0) continue;
    ++cut_sides;
    EXPECT_TRUE(!end.closed || end.closed_second) << "from packet " << end.from << " on, not CoolStreaming";
    EXPECT_LE(end.bytes, kMaxFrameBytes) << "from packet " << end.from << " on, not CoolStreaming";
  }

  // Each kind, by name, in the order of PROTOCOL.md's table.
  std::printf(
      "%zu packets with a payload on %zu connection sides, %zu ending in a frame cut short, %zu TCP "
      "retransmissions\n",
      with_payload, ends.size(), cut_sides, retransmitted);
  for (int byte = 0; byte < 0x100; ++byte) {
    if (auto type = cs::message_type(static_cast<std::uint8_t>(byte)))
      std::printf("  %-20s %zu\n", std::string(cs::type_name(*type)).c_str(), frames[hex(*type)]);
  }

  // Every kind a mesh lab sends, decoded at least once. Not sent here: JoinRefused (30 joins stay within the
  // source's capacity), TreeParent and TreeAttach (the tree overlay's).
  using cs::MessageType;
  for (MessageType type :
       {MessageType::Join, MessageType::JoinRedirect, MessageType::Candidates, MessageType::Membership,
        MessageType::Leave, MessageType::PartnerRequest, MessageType::PartnerAccept,
        MessageType::PartnerRefuse, MessageType::BufferMap, MessageType::SegmentRequest, MessageType::Segment,
        MessageType::SegmentUnavailable}) {
    EXPECT_GT(frames[hex(type)], 0u) << cs::type_name(type) << " never decoded";
  }

  std::string flagged =
      decode({"-Y", "_ws.malformed or _ws.expert.severity >= \"error\" or coolstreaming.cut"});
  EXPECT_EQ(flagged, "") << "tshark flags packets as malformed, in error, or cut";
  std::printf("capture and lab %.1f s, decoding %.1f s\n", lab_s, bench::seconds_since(began) - lab_s);
}

}  // namespace
}  // namespace p2p::interop

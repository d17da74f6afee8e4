// KaZaA interop with Wireshark: the dissector shipped in kazaa/kazaa.lua decodes a synthetic capture holding
// one frame of every message kind (kazaa_sample_frames, turned into TCP packets by text2pcap) by name, with
// no malformed packet and no expert error, whether it finds the session by its port or by its first frame.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kazaa/codec.h"
#include "tests/interop/interop_util.h"
#include "tests/kazaa/sample_messages.h"

namespace p2p::interop {
namespace {

constexpr auto kToolLimit = std::chrono::seconds(20);

class KazaaTsharkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("tshark") && on_path("text2pcap"), "tshark or text2pcap is not installed");
    Process frames({"kazaa_sample_frames"}, dir_ / "frames.log", dir_ / "frames.txt");
    ASSERT_EQ(frames.wait(kToolLimit), 0) << read_text(dir_ / "frames.log");
  }

  // The sample frames as a capture of one TCP connection from `ports` ("SPORT,DPORT"), decoded with the
  // dissector; tshark's arguments after the file are `extra`. Returns what tshark prints.
  std::string decode(const std::string& ports, const std::vector<std::string>& extra) {
    std::string pcap = (dir_ / ("kazaa-" + ports + ".pcap")).string();
    Process text2pcap({"text2pcap", "-q", "-T", ports, (dir_ / "frames.txt").string(), pcap},
                      dir_ / "text2pcap.log");
    EXPECT_EQ(text2pcap.wait(kToolLimit), 0) << read_text(dir_ / "text2pcap.log");
    std::vector<std::string> argv = {"tshark", "-X", dissector_flag("kazaa/kazaa.lua"), "-r", pcap};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process tshark(argv, dir_ / "tshark.log", dir_ / "tshark.txt");
    EXPECT_EQ(tshark.wait(kToolLimit), 0) << read_text(dir_ / "tshark.log");
    // A script that fails to load or run is reported on standard error, not as a failed exit.
    EXPECT_EQ(read_text(dir_ / "tshark.log").find("Lua"), std::string::npos)
        << read_text(dir_ / "tshark.log");
    return read_text(dir_ / "tshark.txt");
  }

  // `options` choose how the dissector finds the session.
  void expect_every_kind_decoded(const std::string& ports, const std::vector<std::string>& options) {
    SCOPED_TRACE(ports);
    auto with = [&](std::vector<std::string> more) {
      more.insert(more.begin(), options.begin(), options.end());
      return more;
    };
    std::string tree = decode(ports, with({"-V"}));
    for (const kazaa::Message& message : kazaa::sample_messages()) {
      std::string name(kazaa::type_name(kazaa::type_of(message)));
      EXPECT_NE(tree.find("\nKaZaA " + name), std::string::npos) << name << " not decoded:\n" << tree;
      EXPECT_NE(tree.find("Type: " + name + " (0x"), std::string::npos) << name << " has no type field";
    }
    EXPECT_EQ(tree.find("Malformed"), std::string::npos) << tree;
    EXPECT_EQ(tree.find("Expert Info (Error"), std::string::npos) << tree;
    EXPECT_EQ(decode(ports, with({"-Y", "_ws.malformed or _ws.expert.severity >= \"error\""})), "")
        << "tshark flags packets as malformed or in error";
  }

  ScratchDir dir_;
};

// Lab nodes listen on ports the system picks: the heuristic must recognise the session from its frames.
TEST_F(KazaaTsharkTest, HeuristicDecodesEveryKindOnAnyPort) {
  expect_every_kind_decoded("40123,40999", {});
}

// With the heuristic off, the port preference (default 1214) alone must find it.
TEST_F(KazaaTsharkTest, PortPreferenceDecodesEveryKindOnKazaasPort) {
  expect_every_kind_decoded("40123,1214", {"--disable-heuristic", "kazaa_tcp"});
}

// Frame counts, through the dissector's fields: every kind once, and the extra packets (two frames in one
// segment, one frame across two) give one more Pong, one more Handoff and one more SupernodeList.
TEST_F(KazaaTsharkTest, SegmentsWithTwoFramesAndFramesAcrossSegmentsAreCutRight) {
  std::string types = decode("40123,40999", {"-Y", "kazaa", "-T", "fields", "-e", "kazaa.type"});
  std::size_t frames = 0;
  for (std::size_t at = types.find("0x"); at != std::string::npos; at = types.find("0x", at + 1)) ++frames;
  EXPECT_EQ(frames, kazaa::sample_messages().size() + 3) << types;
  EXPECT_NE(types.find("0x52,0x63"), std::string::npos) << "Pong and Handoff in one segment:\n" << types;
}

}  // namespace
}  // namespace p2p::interop

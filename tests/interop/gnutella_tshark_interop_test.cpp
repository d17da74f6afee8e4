// Gnutella interop with Wireshark: tshark decodes a loopback capture of three p2plab servents as Gnutella
// 0.6.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/bench_util.h"
#include "tests/interop/interop_util.h"
#include "tests/interop/loopback_capture.h"

namespace p2p::interop {
namespace {

constexpr auto kStartLimit = std::chrono::seconds(5);

class GnutellaTsharkTest : public ::testing::Test {
 protected:
  void SetUp() override { P2P_NEEDS(on_path("tshark"), "tshark is not installed"); }

  std::string endpoint(std::size_t node) const { return "127.0.0.1:" + std::to_string(ports_[node]); }

  // Servent `node` of a three-node line (0 - 1 - 2) on its fixed port, with a two-file catalogue that
  // every sharing servent holds whole. Edges are listed at their later node.
  std::unique_ptr<Process> start_servent(std::size_t node, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"gnutella-servent",
                                     "--listen",
                                     endpoint(node),
                                     "--neighbours",
                                     node == 0 ? "" : endpoint(node - 1),
                                     "--catalogue-files",
                                     "2",
                                     "--files-per-node",
                                     "2",
                                     "--min-file-size",
                                     "1K",
                                     "--max-file-size",
                                     "1K",
                                     "--nodes",
                                     "3",
                                     "--node-index",
                                     std::to_string(node),
                                     "--seed",
                                     std::to_string(node + 1)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<Process>(argv, dir_ / ("servent" + std::to_string(node) + ".log"));
  }

  // Runs tshark on the capture with every servent's port decoded as Gnutella; returns what it prints.
  std::string decode(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {"tshark", "-r", (dir_ / "gnutella.pcapng").string()};
    for (std::uint16_t port : ports_)
      argv.insert(argv.end(), {"-d", "tcp.port==" + std::to_string(port) + ",gnutella"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    Process tshark(argv, dir_ / "decode.log", dir_ / "decode.txt");
    EXPECT_EQ(tshark.wait(std::chrono::seconds(20)), 0) << read_text(dir_ / "decode.log");
    return read_text(dir_ / "decode.txt");
  }
  bool shows(const std::string& filter) { return !decode({"-Y", filter}).empty(); }

  ScratchDir dir_;
  std::vector<std::uint16_t> ports_ = {static_cast<std::uint16_t>(bench::free_port()),
                                       static_cast<std::uint16_t>(bench::free_port()),
                                       static_cast<std::uint16_t>(bench::free_port())};
};

TEST_F(GnutellaTsharkTest, TsharkDecodesThreeServentsPingingAndQueryingAsGnutella) {
  // Capture only the servents' ports.
  std::string filter;
  for (std::uint16_t port : ports_)
    filter += (filter.empty() ? "" : " or ") + ("tcp port " + std::to_string(port));
  LoopbackCapture capture(dir_ / "gnutella.pcapng", filter, dir_ / "capture.log");
  P2P_NEEDS(capture.wait_capturing(ports_[2], kCaptureStartLimit), "cannot capture on lo: " << capture.log());

  // Servents 0 and 1 share both files; servent 2, a free rider at the far end, searches twice a second and
  // downloads nothing (an HTTP transfer on the same port is not Gnutella descriptors).
  std::vector<std::unique_ptr<Process>> servents;
  for (std::size_t node = 0; node < 3; ++node) {
    std::vector<std::string> extra;
    if (node == 2) extra = {"--free-rider", "--query-rate", "2", "--download-probability", "0"};
    servents.push_back(start_servent(node, extra));
    ASSERT_TRUE(port_open(ports_[node], kStartLimit))
        << read_text(dir_ / ("servent" + std::to_string(node) + ".log"));
  }
  // A few queries' worth of time, then everyone stops before the capture does.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  for (auto& servent : servents) servent->stop();
  capture.stop();

  EXPECT_TRUE(shows("tcp.payload contains \"GNUTELLA CONNECT/0.6\"")) << "no connect line";
  EXPECT_TRUE(shows("tcp.payload contains \"GNUTELLA/0.6 200\"")) << "no 200 answer or confirmation";
  EXPECT_TRUE(shows("gnutella.header.payload == 0x00")) << "no Ping";
  EXPECT_TRUE(shows("gnutella.header.payload == 0x01")) << "no Pong";
  EXPECT_TRUE(shows("gnutella.header.payload == 0x80")) << "no Query";
  EXPECT_TRUE(shows("gnutella.header.payload == 0x81")) << "no QueryHit";
  EXPECT_TRUE(shows("gnutella.query.search")) << "no decoded search string";
  EXPECT_TRUE(shows("gnutella.queryhit.hit.name")) << "no decoded hit";
  EXPECT_FALSE(shows("_ws.malformed")) << "tshark found malformed packets:\n"
                                       << decode({"-Y", "_ws.malformed"});
}

}  // namespace
}  // namespace p2p::interop

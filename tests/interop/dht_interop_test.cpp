// DHT interop (issue 16, point 4): a python3-libtorrent session joins the DHT through a p2plab bt-dht on
// loopback, the p2plab node takes it into its routing table and answers its queries, and tshark decodes the
// capture of that KRPC traffic as bt-dht with no malformed packet.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/bench/bench_util.h"
#include "tests/interop/interop_util.h"

namespace p2p::interop {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

bool libtorrent_present() {
  Process check({kPython, "-c", "import libtorrent"});
  return check.wait(std::chrono::seconds(20)) == std::optional<int>(0);
}

std::string probe_script() {
  const char* source = std::getenv("P2P_SOURCE");
  return std::string(source ? source : ".") + "/tests/interop/dht_libtorrent_probe.py";
}

TEST(DhtInteropTest, LibtorrentJoinsThroughAP2plabNodeAndTsharkDecodesTheKrpc) {
  P2P_NEEDS(on_path("tshark"), "tshark is not installed");
  P2P_NEEDS(libtorrent_present(), "python3-libtorrent is not installed");
  ScratchDir dir;
  auto dht_port = static_cast<std::uint16_t>(bench::free_port());
  auto lt_port = static_cast<std::uint16_t>(bench::free_port());
  std::string port = std::to_string(dht_port);

  Process capture({"tshark", "-i", "lo", "-f", "udp port " + port, "-w", (dir / "dht.pcapng").string()},
                  dir / "capture.log");
  P2P_NEEDS(capture_started(dir / "capture.log"), "cannot capture on lo: " << read_text(dir / "capture.log"));
  Process node({"bt-dht", "--listen", "127.0.0.1:" + port, "--node-id", "dht-interop"}, dir / "dht.log");
  ASSERT_TRUE(port_open(dht_port, std::chrono::seconds(10))) << read_text(dir / "dht.log");

  Process libtorrent({kPython, probe_script(), port, std::to_string(lt_port), "40"}, dir / "probe.log",
                     dir / "probe.txt");
  EXPECT_EQ(libtorrent.wait(std::chrono::seconds(60)), 0)
      << read_text(dir / "probe.txt") << read_text(dir / "probe.log") << read_text(dir / "dht.log");
  libtorrent.stop();
  node.stop();
  stop_capture(capture);

  auto decode = [&](const std::string& filter) {
    Process tshark(
        {"tshark", "-r", (dir / "dht.pcapng").string(), "-d", "udp.port==" + port + ",bt-dht", "-Y", filter},
        dir / "decode.log", dir / "decode.txt");
    EXPECT_EQ(tshark.wait(std::chrono::seconds(30)), 0) << read_text(dir / "decode.log");
    return read_text(dir / "decode.txt");
  };
  EXPECT_FALSE(decode("bt-dht").empty()) << "tshark decoded no bt-dht packet";
  EXPECT_FALSE(decode("bt-dht and udp.srcport == " + port).empty()) << "no KRPC from the p2plab node";
  EXPECT_FALSE(decode("bt-dht and udp.dstport == " + port).empty()) << "no KRPC to the p2plab node";
  EXPECT_TRUE(decode("_ws.malformed").empty()) << "tshark found malformed packets";
}

}  // namespace
}  // namespace p2p::interop

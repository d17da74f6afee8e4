// cs-source and 30 cs-peers as processes on loopback through `p2plab run`: every peer plays with high
// continuity, no frame is refused, and what a peer with no miss played is the --input file's bytes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "common/util/random.h"
#include "coolstreaming/stream_bytes.h"
#include "tests/labs/launcher_harness.h"

namespace p2p::labs::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kPeers = 30;
constexpr std::uint32_t kBitrateKbps = 500;
// 64 segments of the stream: more than the run's 30 s can play.
constexpr std::size_t kInputBytes = 64 * 62'500;

// The scenario: a source on fibre with `input` as its stream, 30 cable peers arriving over 5 s, each
// playing to OUT/play/ID.bin.
std::string scenario(const std::string& input) {
  return "description = CoolStreaming on loopback: 1 source, 30 peers, M = 4, 30 s\n"
         "system = coolstreaming\nduration = 30\nseed = 1\n\n"
         "[role.source]\nbinary = cs-source\nlink = fibre\n"
         "args = --bitrate-kbps 500 --segment-ms 1000 --window 60 --input " +
         input +
         "\n\n"
         "[role.peer]\ncount = 30\nbinary = cs-peer\nlink = cable\narrival = flash:5\n"
         "args = --source {role:source} --partners 4 --window 60 --startup-ms 6000 --play-to "
         "{out}/{id}.bin\n";
}

Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(CoolStreamingLoopbackTest, ThirtyPeersPlayTheInputWithHighContinuityAndNoBadFrame) {
  TempDir dir;
  const std::string input = dir.path() + "/input.bin";
  Bytes stream(kInputBytes);
  Rng(14).fill(stream.data(), stream.size());
  std::ofstream(input, std::ios::binary)
      .write(reinterpret_cast<const char*>(stream.data()), static_cast<std::streamsize>(stream.size()));
  const std::string ini = dir.path() + "/loopback.ini";
  std::ofstream(ini) << scenario(input);
  const std::string out = dir.path() + "/run";
  Launcher lab({"run", ini, "--headless", "--out", out}, dir.path() + "/output.txt");
  ASSERT_EQ(lab.wait(90s), std::optional<int>(0)) << lab.output();

  // Each peer's last status, and every refusal.
  std::map<std::string, nlohmann::json> last;
  std::size_t rejected = 0;
  std::ifstream events(out + "/events.jsonl");
  for (std::string line; std::getline(events, line);) {
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || record.value("system", "") != "coolstreaming") continue;
    if (record.value("kind", "") == "event" && record.value("event", "") == "rejected") ++rejected;
    if (record.value("kind", "") == "status" && record.value("role", "") == "peer")
      last[record.value("node", "")] = record["sys"];
  }
  EXPECT_EQ(rejected, 0u);
  ASSERT_EQ(last.size(), kPeers) << lab.output();

  const std::size_t segment = coolstreaming::segment_size(kBitrateKbps, 1000);
  std::size_t checked = 0;
  double continuity = 0, video = 0, control = 0;
  for (const auto& [node, sys] : last) {
    SCOPED_TRACE(node + ": " + sys.dump());
    continuity += sys.value("continuity", 0.0);
    video += sys.value("video_bytes", 0.0);
    control += sys.value("control_bytes", 0.0);
    ASSERT_TRUE(sys["continuity"].is_number());
    EXPECT_GE(sys["continuity"].get<double>(), 0.95);
    EXPECT_GT(sys["due"].get<int>(), 5);
    if (sys["missed"].get<int>() != 0) continue;
    // No miss: the file is the input from the first segment played on, byte for byte.
    const auto first = sys["play_point"].get<std::size_t>() - sys["due"].get<std::size_t>();
    Bytes played = read_bytes(out + "/" + node + ".bin");
    ASSERT_GE(played.size(), sys["due"].get<std::size_t>() * segment);
    ASSERT_LE(first * segment + played.size(), stream.size());
    EXPECT_TRUE(std::equal(played.begin(), played.end(),
                           stream.begin() + static_cast<std::ptrdiff_t>(first * segment)));
    ++checked;
  }
  EXPECT_GT(checked, 0u) << "no peer played without a miss";
  std::printf("%zu peers: continuity mean %.4f, control overhead %.2f %%, %zu played files checked\n",
              last.size(), continuity / static_cast<double>(last.size()), 100 * control / video, checked);
}

}  // namespace
}  // namespace p2p::labs::testing

// A BitTorrent interop lab on loopback: a shared file, its torrent, a tracker, and the flags of each client.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/interop/interop_util.h"

namespace p2p::interop {

constexpr auto kStartLimit = std::chrono::seconds(5);
constexpr auto kTransferLimit = std::chrono::seconds(30);

// One scratch folder holding seed/file.bin (random bytes) and file.torrent, made by bt-maketorrent.
class BitTorrentLab : public ::testing::Test {
 protected:
  static constexpr std::size_t kFileSize = 3 * 1024 * 1024 + 12345;  // a short last piece

  void SetUp() override { write_random_file(original(), kFileSize, 42); }

  std::filesystem::path original() const { return dir_ / "seed" / "file.bin"; }
  std::filesystem::path torrent() const { return dir_ / "file.torrent"; }

  // Starts bt-tracker in open mode and returns its announce URL.
  std::string start_tracker() {
    tracker_ = std::make_unique<Process>(std::vector<std::string>{"bt-tracker", "--open", "--interval", "2"},
                                         dir_ / "tracker.log");
    EXPECT_TRUE(wait_until([&] { return logged_port(dir_ / "tracker.log") != 0; }, kStartLimit));
    return "http://127.0.0.1:" + std::to_string(logged_port(dir_ / "tracker.log")) + "/announce";
  }

  void make_torrent(const std::string& announce) {
    Process maker({"bt-maketorrent", "--announce", announce, "--piece-length", "65536", "--output",
                   torrent().string(), original().string()},
                  dir_ / "maketorrent.log");
    ASSERT_EQ(maker.wait(std::chrono::seconds(10)), 0) << read_text(dir_ / "maketorrent.log");
  }

  // A bt-peer on the torrent with its data under `folder`; extra flags follow.
  std::unique_ptr<Process> start_peer(const std::string& name, const std::filesystem::path& folder,
                                      std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        "bt-peer", "--torrent", torrent().string(), "--data", folder.string(), "--log-level", "debug"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<Process>(argv, dir_ / (name + ".log"));
  }

  std::string log(const std::string& name) const { return read_text(dir_ / (name + ".log")); }

  ScratchDir dir_;
  std::unique_ptr<Process> tracker_;
};

}  // namespace p2p::interop

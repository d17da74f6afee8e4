// Torrent files across tools: mktorrent's load in p2plab, and bt-maketorrent's load in aria2c with the same
// hash.
#include "bittorrent/metainfo.h"
#include "common/util/encoding.h"
#include "tests/interop/bittorrent_lab.h"

namespace p2p::interop {
namespace {

class MaketorrentInteropTest : public BitTorrentLab {
 protected:
  void SetUp() override {
    P2P_NEEDS(on_path("mktorrent") && on_path("aria2c"), "mktorrent or aria2c is not installed");
    BitTorrentLab::SetUp();
    // A folder of two files, one of them nested, for the multi-file form.
    write_random_file(dir_ / "album" / "a.bin", 100000, 1);
    write_random_file(dir_ / "album" / "cd1" / "b.bin", 70000, 2);
  }

  // The info-hash aria2c reports for a torrent, in hex.
  std::string aria2c_hash(const std::filesystem::path& torrent) {
    Process info({"aria2c", "-S", torrent.string()}, {}, dir_ / "info.txt");
    EXPECT_EQ(info.wait(std::chrono::seconds(10)), 0);
    std::string text = read_text(dir_ / "info.txt");
    std::size_t at = text.find("Info Hash: ");
    return at == std::string::npos ? "" : text.substr(at + 11, 40);
  }

  Expected<bittorrent::Metainfo> load(const std::filesystem::path& torrent) {
    std::string bytes = read_text(torrent);
    return bittorrent::parse_metainfo(as_bytes(bytes));
  }
};

TEST_F(MaketorrentInteropTest, TorrentsMadeByMktorrentLoadInP2plab) {
  for (const char* input : {"seed/file.bin", "album"}) {
    std::filesystem::path out = dir_ / "mk.torrent";
    std::filesystem::remove(out);
    Process mk({"mktorrent", "-a", "http://127.0.0.1:6969/announce", "-l", "16", "-o", out.string(),
                (dir_ / input).string()},
               dir_ / "mktorrent.log", dir_ / "mktorrent.out");
    ASSERT_EQ(mk.wait(std::chrono::seconds(10)), 0) << read_text(dir_ / "mktorrent.log");
    auto metainfo = load(out);
    ASSERT_TRUE(metainfo) << input << ": " << metainfo.reason();
    EXPECT_EQ(to_hex(metainfo->info_hash), aria2c_hash(out)) << input;
  }
}

TEST_F(MaketorrentInteropTest, TorrentsMadeByBtMaketorrentLoadInAria2c) {
  for (const char* input : {"seed/file.bin", "album"}) {
    std::filesystem::path out = dir_ / "p2plab.torrent";
    Process maker({"bt-maketorrent", "-a", "http://127.0.0.1:6969/announce", "-o", out.string(),
                   (dir_ / input).string()},
                  dir_ / "maketorrent.log");
    ASSERT_EQ(maker.wait(std::chrono::seconds(10)), 0) << read_text(dir_ / "maketorrent.log");
    auto metainfo = load(out);
    ASSERT_TRUE(metainfo) << input << ": " << metainfo.reason();
    EXPECT_EQ(metainfo->multi_file, std::string(input) == "album");
    EXPECT_EQ(to_hex(metainfo->info_hash), aria2c_hash(out)) << input;
  }
}

}  // namespace
}  // namespace p2p::interop

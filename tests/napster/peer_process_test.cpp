// Tests of what napster-peer adds around its core: the shared folder on disk, and its flags.
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>

#include "napster/disk_shared_files.h"
#include "napster/peer_options.h"

namespace p2p::napster {
namespace {

namespace fs = std::filesystem;

class DiskSharedFilesTest : public ::testing::Test {
 protected:
  DiskSharedFilesTest()
      : folder_(fs::temp_directory_path() / ("napster-disk-test-" + std::to_string(getpid()))) {
    fs::remove_all(folder_);
    fs::create_directories(folder_);
  }
  ~DiskSharedFilesTest() override { fs::remove_all(folder_); }

  void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

  std::unique_ptr<DiskSharedFiles> open(std::uint64_t max_download = 1 << 20) {
    auto files = DiskSharedFiles::open(folder_, max_download);
    EXPECT_TRUE(files.ok()) << files.reason();
    return std::move(files).value();
  }

  fs::path folder_;
};

TEST_F(DiskSharedFilesTest, SharesThePlainFilesOfTheFolderWithTheirMd5) {
  write(folder_ / "blue river.mp3", "la la la");
  write(folder_ / ".hidden.mp3", "secret");
  fs::create_directories(folder_ / "sub");
  write(folder_ / "sub" / "inner.mp3", "deeper");

  auto files = open();
  auto listed = files->list();
  ASSERT_EQ(listed.size(), 1u) << "hidden files and subfolders are not shared";
  EXPECT_EQ(listed[0].name, "blue river.mp3");
  EXPECT_EQ(listed[0].size, 8u);
  EXPECT_EQ(listed[0].md5, md5(as_bytes("la la la")));
  EXPECT_FALSE(files->find("sub").has_value());
  EXPECT_FALSE(files->find(".hidden.mp3").has_value());
}

TEST_F(DiskSharedFilesTest, ReadsAnyRangeAndStopsAtTheEnd) {
  write(folder_ / "song.mp3", "0123456789");
  auto files = open();
  EXPECT_EQ(as_chars(*files->read("song.mp3", 2, 3)), "234");
  EXPECT_EQ(as_chars(*files->read("song.mp3", 8, 100)), "89");
  EXPECT_TRUE(files->read("song.mp3", 10, 5)->empty());
  EXPECT_FALSE(files->read("other.mp3", 0, 5).ok()) << "only shared files are read";
}

TEST_F(DiskSharedFilesTest, ADownloadJoinsTheFolderOnlyWhenCommitted) {
  auto files = open();
  SharedFile song{"new song.mp3", 6, md5(as_bytes("abcdef"))};

  // An abandoned download leaves nothing behind.
  {
    auto sink = files->create(song);
    ASSERT_TRUE(sink.ok()) << sink.reason();
    ASSERT_TRUE((*sink)->write(as_bytes("abc")).ok());
  }
  EXPECT_FALSE(fs::exists(folder_ / "new song.mp3"));
  EXPECT_TRUE(fs::is_empty(folder_ / ".incoming"));

  // A complete one is moved into the folder and listed.
  auto sink = files->create(song);
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->write(as_bytes("abc")).ok());
  EXPECT_FALSE(files->find("new song.mp3").has_value()) << "not before commit";
  ASSERT_TRUE((*sink)->write(as_bytes("def")).ok());
  EXPECT_FALSE((*sink)->write(as_bytes("g")).ok()) << "more than the size";
  ASSERT_TRUE((*sink)->commit().ok());
  EXPECT_EQ(files->find("new song.mp3"), song);
  EXPECT_EQ(as_chars(*files->read("new song.mp3", 0, 6)), "abcdef");
  // And a later peer process shares it too.
  EXPECT_EQ(open()->find("new song.mp3"), song);
}

TEST_F(DiskSharedFilesTest, RefusesUnsafeNamesAndFilesOverTheLimit) {
  auto files = open(1000);
  for (std::string name : {"../escape.mp3", "/etc/passwd", "a/b.mp3", ".incoming", ".."}) {
    EXPECT_FALSE(files->create({name, 10, {}}).ok()) << name;
  }
  EXPECT_FALSE(files->create({"big.mp3", 1001, {}}).ok());
  EXPECT_FALSE(fs::exists(folder_.parent_path() / "escape.mp3"));
}

Expected<PeerSetup> setup_from(std::vector<std::string> args) {
  po::options_description options;
  add_peer_options(options);
  args.insert(args.begin(), "napster-peer");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_peer_options(vm, "node-7");
}

TEST(PeerOptionsTest, PeersOfOneLabAgreeOnTheCatalogueAndSplitItByPlacement) {
  std::vector<std::string> common = {"--server", "127.0.0.1:8888", "--nodes", "3", "--catalogue-files", "30"};
  std::vector<std::size_t> held(30, 0);
  for (int i = 0; i < 3; ++i) {
    auto args = common;
    args.insert(args.end(), {"--node-index", std::to_string(i)});
    auto setup = setup_from(args);
    ASSERT_TRUE(setup.ok()) << setup.reason();
    EXPECT_EQ(setup->config.nick, "node-7") << "the nick defaults to the node id";
    EXPECT_EQ(setup->catalogue->size(), 30u);
    for (std::size_t f : setup->shared) ++held[f];
  }
  // Every catalogue file is held by at least one of the three peers.
  EXPECT_EQ(std::count(held.begin(), held.end(), 0), 0);
}

TEST(PeerOptionsTest, MistakesNameTheFlag) {
  auto reason = [](std::vector<std::string> args) {
    auto setup = setup_from(args);
    return setup.ok() ? std::string("accepted") : setup.reason();
  };
  EXPECT_NE(reason({}).find("--server"), std::string::npos);
  EXPECT_NE(reason({"--server", "nowhere"}).find("--server"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--node-index", "1"}).find("--node-index"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--download", "1.5"}).find("--download"), std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--backoff-max", "0.5"}).find("--backoff-max"),
            std::string::npos);
  EXPECT_NE(reason({"--server", "127.0.0.1:1", "--nick", "has space"}).find("nick"), std::string::npos);
  EXPECT_EQ(reason({"--server", "127.0.0.1:1", "--free-rider", "--share-downloads=false"}), "accepted");
}

}  // namespace
}  // namespace p2p::napster

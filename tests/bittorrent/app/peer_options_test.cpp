// bt-peer's flags and content: reading the flags touches no file; preparing the peer makes the torrent and
// writes a synthetic seed's data.
#include "bittorrent/app/peer_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "bittorrent/app/peer_setup.h"

namespace p2p::bittorrent {
namespace {

namespace fs = std::filesystem;

Expected<PeerOptions> options_from(std::vector<std::string> args) {
  po::options_description options;
  add_peer_options(options);
  args.insert(args.begin(), "bt-peer");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  po::variables_map vm;
  po::store(po::parse_command_line(static_cast<int>(argv.size()), argv.data(), options), vm);
  po::notify(vm);
  return read_peer_options(vm);
}

class PeerOptionsTest : public ::testing::Test {
 protected:
  PeerOptionsTest() : folder_(fs::temp_directory_path() / ("bt-peer-options-" + std::to_string(getpid()))) {
    fs::remove_all(folder_);
  }
  ~PeerOptionsTest() override { fs::remove_all(folder_); }

  std::vector<std::string> synthetic_seed() const {
    return {"--synthetic", "100000", "--piece-length", "16384", "--announce", "http://127.0.0.1:1/announce",
            "--seeder",    "--data", folder_.string()};
  }

  fs::path folder_;
};

TEST_F(PeerOptionsTest, ReadingTheFlagsTouchesNoFile) {
  auto options = options_from(synthetic_seed());
  ASSERT_TRUE(options.ok()) << options.reason();
  EXPECT_TRUE(options->seeder);
  ASSERT_TRUE(options->synthetic.has_value());
  EXPECT_EQ(options->synthetic->size, 100000);
  EXPECT_FALSE(fs::exists(folder_)) << "the data folder is made by prepare_peer, not by reading flags";
}

TEST_F(PeerOptionsTest, PreparingASyntheticSeedWritesItsWholeFile) {
  auto options = options_from(synthetic_seed());
  ASSERT_TRUE(options.ok()) << options.reason();
  auto config = prepare_peer(*options);
  ASSERT_TRUE(config.ok()) << config.reason();
  EXPECT_TRUE(config->have.all());
  EXPECT_EQ(fs::file_size(folder_ / "synthetic.bin"), 100000u);
  ASSERT_TRUE(config->check_content);
  EXPECT_TRUE(config->check_content(*config->storage));
}

TEST_F(PeerOptionsTest, UploadSlotsAreACountOrUnlimited) {
  EXPECT_EQ(options_from({"--torrent", "x.torrent"})->config.choker.regular_slots,
            ChokerConfig{}.regular_slots);
  EXPECT_EQ(options_from({"--torrent", "x.torrent", "--upload-slots", "8"})->config.choker.regular_slots, 8u);
  EXPECT_EQ(
      options_from({"--torrent", "x.torrent", "--upload-slots", "unlimited"})->config.choker.regular_slots,
      kUnlimitedSlots);
}

TEST_F(PeerOptionsTest, TheChokeRoundSetsBothChokerPeriods) {
  ChokerConfig mainline = options_from({"--torrent", "x.torrent"})->config.choker;
  EXPECT_EQ(mainline.rechoke_period, std::chrono::seconds(10));
  EXPECT_EQ(mainline.optimistic_period, std::chrono::seconds(30));
  ChokerConfig lab = options_from({"--torrent", "x.torrent", "--choke-round", "2"})->config.choker;
  EXPECT_EQ(lab.rechoke_period, std::chrono::seconds(2));
  EXPECT_EQ(lab.optimistic_period, std::chrono::seconds(6));
}

TEST_F(PeerOptionsTest, MistakesNameTheFlag) {
  auto reason = [](std::vector<std::string> args) {
    auto options = options_from(args);
    return options.ok() ? std::string("accepted") : options.reason();
  };
  EXPECT_EQ(reason({}), "give exactly one of --torrent FILE, --magnet URI and --synthetic BYTES");
  EXPECT_NE(reason({"--synthetic", "100"}).find("--announce"), std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--seeder"}).find("--seeder"), std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--storage", "tape"}).find("--storage"), std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--picker", "first"}).find("--picker"), std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--upload-slots", "all"}).find("--upload-slots"),
            std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--super-seed", "yes"}).find("--super-seed"),
            std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--choke-round", "0"}).find("--choke-round"),
            std::string::npos);
  EXPECT_NE(reason({"--torrent", "x.torrent", "--pex", "maybe"}).find("--pex"), std::string::npos);
  EXPECT_EQ(reason({"--torrent", "x.torrent"}), "accepted");
}

TEST_F(PeerOptionsTest, AMagnetLinkIsReadWithItsTrackerAndPexIsASwitch) {
  const std::string hash = "0123456789abcdef0123456789abcdef01234567";
  auto options = options_from(
      {"--magnet",
       "magnet:?xt=urn:btih:" + hash + "&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&x.pe=127.0.0.1:6881",
       "--pex", "off"});
  ASSERT_TRUE(options) << options.reason();
  ASSERT_TRUE(options->magnet);
  EXPECT_EQ(options->magnet->trackers, std::vector<std::string>{"http://127.0.0.1:6969/announce"});
  EXPECT_EQ(options->magnet->peers.size(), 1u);
  EXPECT_FALSE(options->config.pex);
  EXPECT_TRUE(options_from({"--torrent", "x.torrent"})->config.pex);  // on, as in real clients

  EXPECT_TRUE(
      options_from({"--magnet", "magnet:?xt=urn:btih:123"}).reason().starts_with("--magnet: magnet link"));
  EXPECT_EQ(options_from({"--magnet", "magnet:?xt=urn:btih:" + hash}).reason(),
            "--magnet: the link names no tracker (tr=) and --dht is off");
}

TEST_F(PeerOptionsTest, DhtIsOffByDefaultAndJoinsThroughTheNodesGiven) {
  auto off = options_from({"--torrent", "x.torrent"});
  ASSERT_TRUE(off) << off.reason();
  EXPECT_FALSE(off->config.dht);  // a lab has no public bootstrap node

  auto on = options_from({"--torrent", "x.torrent", "--dht", "on", "--dht-bootstrap", "127.0.0.2:6881",
                          "--dht-bootstrap", "10.0.0.1:7000"});
  ASSERT_TRUE(on) << on.reason();
  EXPECT_TRUE(on->config.dht);
  EXPECT_EQ(on->config.dht_bootstrap,
            (std::vector<Endpoint>{Endpoint{"127.0.0.2", 6881}, Endpoint{"10.0.0.1", 7000}}));

  // A magnet link without a tracker finds its peers in the DHT.
  auto magnet = options_from(
      {"--magnet", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567", "--dht", "on"});
  ASSERT_TRUE(magnet) << magnet.reason();
  EXPECT_TRUE(magnet->magnet->trackers.empty());

  EXPECT_NE(options_from({"--torrent", "x.torrent", "--dht", "yes"}).reason().find("--dht"),
            std::string::npos);
  EXPECT_EQ(options_from({"--torrent", "x.torrent", "--dht-bootstrap", "127.0.0.2:6881"}).reason(),
            "--dht-bootstrap needs --dht on");
  EXPECT_NE(options_from({"--torrent", "x.torrent", "--dht", "on", "--dht-bootstrap", "nowhere"})
                .reason()
                .find("--dht-bootstrap: expected IPV4:PORT"),
            std::string::npos);
}

TEST_F(PeerOptionsTest, ATorrentWithoutATrackerNeedsTheDht) {
  std::vector<std::string> trackerless = {"--synthetic", "100000", "--piece-length", "16384",
                                          "--seeder",    "--data", folder_.string()};
  EXPECT_NE(options_from(trackerless).reason().find("--dht on"), std::string::npos);
  trackerless.insert(trackerless.end(), {"--dht", "on"});
  auto options = options_from(trackerless);
  ASSERT_TRUE(options) << options.reason();
  auto config = prepare_peer(*options);
  ASSERT_TRUE(config) << config.reason();
  EXPECT_TRUE(config->metainfo->announce.empty());

  // The same trackerless torrent from a file, with DHT nodes in it: refused without --dht, in one line...
  TorrentSpec spec;
  spec.name = "f";
  spec.files = {SourceFile{{}, 5}};
  spec.nodes = {Endpoint{"127.0.0.3", 6881}, Endpoint{"router.example", 6881}};
  const std::string content = "hello";
  auto torrent = make_metainfo(spec, memory_reader({as_bytes(content)}));
  ASSERT_TRUE(torrent) << torrent.reason();
  PeerOptions file;
  file.in_memory = true;
  PeerConfig refused;
  EXPECT_EQ(open_torrent(file, *torrent, refused).reason(),
            "--torrent: the torrent names no tracker (no announce): give --announce URL, or --dht on to find "
            "its peers through the DHT");
  // ...and with it, its nodes (those given by address) join the bootstrap nodes.
  PeerConfig accepted;
  accepted.dht = true;
  accepted.dht_bootstrap = {Endpoint{"127.0.0.2", 6881}};
  ASSERT_TRUE(open_torrent(file, *torrent, accepted));
  EXPECT_EQ(accepted.dht_bootstrap,
            (std::vector<Endpoint>{Endpoint{"127.0.0.2", 6881}, Endpoint{"127.0.0.3", 6881}}));
}

}  // namespace
}  // namespace p2p::bittorrent

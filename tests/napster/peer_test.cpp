// Tests of the Napster peer core on FakeRuntimes: login and shares, backoff, searches, refusals, direct
// downloads.
#include "napster/peer.h"

#include <gtest/gtest.h>

#include "common/content/catalogue.h"
#include "tests/napster/wire.h"

namespace p2p::napster {
namespace {

using p2p::testing::FakeRuntime;
using testing::only;
using testing::take_messages;

const Endpoint kServer{"10.0.0.100", 8888};
const Endpoint kAliceAddress{"10.0.0.1", 7000};
const Endpoint kBobAddress{"10.0.0.2", 7000};

Bytes content_of(std::size_t size, std::uint64_t seed) {
  Bytes bytes(size);
  Rng(seed).fill(bytes.data(), bytes.size());
  return bytes;
}

std::unique_ptr<MemorySharedFiles> folder(std::vector<std::pair<std::string, std::size_t>> files) {
  auto shared = std::make_unique<MemorySharedFiles>();
  std::uint64_t seed = 1;
  for (auto& [name, size] : files) shared->add(name, content_of(size, seed++));
  return shared;
}

PeerConfig config_for(std::string nick) {
  PeerConfig config;
  config.nick = std::move(nick);
  config.server = kServer;
  config.backoff.jitter = 0;  // the schedule is exact: 1, 2, 4 s...
  return config;
}

std::vector<FakeRuntime::Event> events_named(const FakeRuntime& runtime, std::string_view name) {
  std::vector<FakeRuntime::Event> out;
  for (const auto& e : runtime.events) {
    if (e.name == name) out.push_back(e);
  }
  return out;
}

// One peer core on its own FakeRuntime, with the test playing the index server.
struct Node {
  Node(const PeerConfig& config, Endpoint address, std::unique_ptr<SharedFiles> files,
       std::shared_ptr<const content::QueryWorkload> workload = nullptr)
      : runtime(1, address), peer(runtime, config, std::move(files), std::move(workload)) {
    runtime.attach(peer);
  }

  ConnId last_dial() const { return runtime.dialled.rbegin()->first; }
  // Completes the dial the peer last made to the server, answers its login, and returns the connection.
  ConnId accept_login() {
    ConnId conn = last_dial();
    EXPECT_EQ(runtime.dialled.at(conn), kServer);
    peer.on_connected(conn, false, kServer);
    auto login = only<Login>(take_messages(runtime, conn));
    EXPECT_EQ(login.size(), 1u);
    peer.on_frame(conn, encode(LoginAck{"anon@p2plab"}));
    return conn;
  }
  ConnId start_online() {
    peer.on_start();
    return accept_login();
  }
  void from_server(ConnId conn, const Message& message) { peer.on_frame(conn, encode(message)); }

  FakeRuntime runtime;
  Peer peer;
};

TEST(PeerConfigTest, RefusesWhatCannotGoOnTheWire) {
  EXPECT_TRUE(validate(config_for("alice")).ok());
  for (const std::string& nick :
       std::vector<std::string>{"", "two words", "quo\"te", std::string(kMaxNickBytes + 1, 'n')}) {
    EXPECT_FALSE(validate(config_for(nick)).ok()) << nick;
  }
  PeerConfig fast = config_for("alice");
  fast.link_type = 11;
  EXPECT_FALSE(validate(fast).ok());
  fast = config_for("alice");
  fast.download_probability = 1.5;
  EXPECT_FALSE(validate(fast).ok());
}

TEST(PeerTest, LogsInWithItsDataPortAndSharesItsFolder) {
  Node alice(config_for("alice"), kAliceAddress, folder({{"a song.mp3", 1000}, {"b song.mp3", 2000}}));
  alice.peer.on_start();
  ConnId server = alice.last_dial();
  alice.peer.on_connected(server, false, kServer);

  // The login names the nick and the data port the peer listens on.
  auto login = only<Login>(take_messages(alice.runtime, server));
  ASSERT_EQ(login.size(), 1u);
  EXPECT_EQ(login[0].nick, "alice");
  EXPECT_EQ(login[0].data_port, 7000);
  EXPECT_EQ(alice.peer.server_state(), ServerState::AwaitingLoginAck);

  // Once acknowledged, every file of the folder is shared with its size and MD5.
  alice.from_server(server, LoginAck{"anon@p2plab"});
  auto shares = only<ShareFile>(take_messages(alice.runtime, server));
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(shares[0].file.name, "a song.mp3");
  EXPECT_EQ(shares[0].file.size, 1000u);
  EXPECT_EQ(shares[0].file.md5, md5(content_of(1000, 1)));
  EXPECT_EQ(alice.peer.server_state(), ServerState::Online);
  EXPECT_EQ(events_named(alice.runtime, "server_state").back().data["state"], "online");
}

TEST(PeerTest, AFreeRiderSharesNothing) {
  PeerConfig config = config_for("leech");
  config.free_rider = true;
  Node leech(config, kBobAddress, folder({{"a song.mp3", 1000}}));
  ConnId server = leech.start_online();
  EXPECT_TRUE(only<ShareFile>(take_messages(leech.runtime, server)).empty());
  EXPECT_EQ(leech.peer.status()["shared_files"], 0);

  // Nor does it serve the file to someone who asks for it by name.
  ConnId conn = leech.runtime.accept(leech.peer);
  leech.peer.on_frame(conn, as_bytes("GET"));
  leech.peer.on_frame(conn, encode_request({"mallory", "a song.mp3", 0}));
  auto sent = leech.runtime.take_sent(conn);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(as_chars(sent[1]), kFileNotShared);
}

TEST(PeerTest, SearchResultsThenEndReportTheLatency) {
  Node bob(config_for("bob"), kBobAddress, folder({}));
  ConnId server = bob.start_online();
  bob.peer.search("blue river");
  auto requests = only<SearchRequest>(take_messages(bob.runtime, server));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].words, "blue river");

  // Two results and the end arrive 150 ms later.
  bob.runtime.advance(milliseconds(150));
  SearchResult hit{{"blue river.mp3", {}, 10, 128, 44100, 0}, "alice", napster_ip(kAliceAddress), 8, 7000};
  bob.from_server(server, hit);
  bob.from_server(server, hit);
  bob.from_server(server, SearchEnd{});
  auto done = events_named(bob.runtime, "search_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].data["ok"], true);
  EXPECT_EQ(done[0].data["results"], 2);
  EXPECT_DOUBLE_EQ(done[0].data["latency_ms"].get<double>(), 150.0);
  EXPECT_EQ(bob.peer.status()["searches_answered"], 1);
}

TEST(PeerTest, ASearchWithoutAnAnswerTimesOutAndLaterAnswersStayInOrder) {
  Node bob(config_for("bob"), kBobAddress, folder({}));
  ConnId server = bob.start_online();
  bob.peer.search("slow");
  bob.runtime.advance(seconds(11));
  ASSERT_EQ(events_named(bob.runtime, "search_done").size(), 1u);
  EXPECT_EQ(events_named(bob.runtime, "search_done")[0].data["reason"], "timed out");

  // The late 202 closes the expired search silently; the next search gets its own answer.
  bob.peer.search("fast");
  bob.from_server(server, SearchEnd{});
  bob.from_server(server, SearchEnd{});
  auto done = events_named(bob.runtime, "search_done");
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[1].data["words"], "fast");
  EXPECT_EQ(done[1].data["ok"], true);
}

TEST(PeerTest, SearchesFailFastWhileTheServerIsUnreachable) {
  Node bob(config_for("bob"), kBobAddress, folder({}));
  ConnId server = bob.start_online();
  bob.peer.search("in flight");
  take_messages(bob.runtime, server);

  // The server dies: the search in flight fails with the reason, and new ones fail at once, sending nothing.
  bob.peer.on_closed(server, "connection reset");
  bob.peer.search("while down");
  auto done = events_named(bob.runtime, "search_done");
  ASSERT_EQ(done.size(), 2u);
  EXPECT_NE(done[0].data["reason"].get<std::string>().find("server connection lost"), std::string::npos);
  EXPECT_NE(done[1].data["reason"].get<std::string>().find("not connected"), std::string::npos);
  EXPECT_DOUBLE_EQ(done[1].data["latency_ms"].get<double>(), 0.0);
  EXPECT_EQ(bob.peer.status()["searches_failed"], 2);
  EXPECT_EQ(bob.peer.status()["server_state"], "offline");
}

TEST(PeerTest, RetriesLoginWithExponentialBackoffAndResharesOnSuccess) {
  Node alice(config_for("alice"), kAliceAddress, folder({{"a song.mp3", 1000}}));
  ConnId server = alice.start_online();
  take_messages(alice.runtime, server);
  alice.peer.on_closed(server, "connection reset");
  std::size_t dials = alice.runtime.dialled.size();

  // Retries come 1 s, then 2 s, then 4 s after each failure.
  for (int wait : {1, 2, 4}) {
    alice.runtime.advance(seconds(wait) - milliseconds(1));
    EXPECT_EQ(alice.runtime.dialled.size(), dials) << "too early for the retry after " << wait << " s";
    alice.runtime.advance(milliseconds(1));
    ASSERT_EQ(alice.runtime.dialled.size(), ++dials) << "no retry after " << wait << " s";
    if (wait < 4) alice.peer.on_closed(alice.last_dial(), "connect failed: connection refused");
  }

  // The third retry gets through: the peer logs in again and shares its folder again.
  ConnId again = alice.accept_login();
  EXPECT_EQ(only<ShareFile>(take_messages(alice.runtime, again)).size(), 1u);
  EXPECT_EQ(alice.peer.server_state(), ServerState::Online);

  // Success reset the schedule: the next loss retries after 1 s again.
  alice.peer.on_closed(again, "connection reset");
  alice.runtime.advance(seconds(1));
  EXPECT_EQ(alice.runtime.dialled.size(), dials + 1);
}

TEST(PeerTest, RequestsOutsideTheSharedFolderAreRefusedAndCounted) {
  Node alice(config_for("alice"), kAliceAddress, folder({{"a song.mp3", 1000}}));
  struct Case {
    std::string name;
    std::string_view answer;
  };
  std::vector<Case> cases = {{"../secret.txt", kInvalidRequest},
                             {"/etc/passwd", kInvalidRequest},
                             {"..", kInvalidRequest},
                             {"music/a song.mp3", kInvalidRequest},
                             {"other.mp3", kFileNotShared}};
  for (const Case& c : cases) {
    // A downloader connects to the data port, is greeted with "1", and asks for the name.
    ConnId conn = alice.runtime.accept(alice.peer);
    alice.peer.on_frame(conn, as_bytes("GET"));
    alice.peer.on_frame(conn, encode_request({"mallory", c.name, 0}));
    auto sent = alice.runtime.take_sent(conn);
    ASSERT_EQ(sent.size(), 2u) << c.name;
    EXPECT_EQ(as_chars(sent[0]), kGreeting);
    EXPECT_EQ(as_chars(sent[1]), c.answer) << c.name;
    EXPECT_TRUE(alice.runtime.closed.contains(conn)) << c.name;
  }
  alice.runtime.pump();
  auto status = alice.peer.status();
  EXPECT_EQ(status["refused"]["traversal"], 4);
  EXPECT_EQ(status["refused"]["not_shared"], 1);
  EXPECT_EQ(status["bytes_up"], 0);
  EXPECT_EQ(events_named(alice.runtime, "request_refused").size(), 5u);
}

// Carries bytes both ways between a downloader's outbound connection and an uploader's inbound one, cutting
// each stream with the framer its core chose, as a runtime would; closes travel across too.
class Wire {
 public:
  Wire(Node& down, ConnId down_conn, Node& up, ConnId up_conn)
      : down_(down),
        up_(up),
        down_conn_(down_conn),
        up_conn_(up_conn),
        to_down_(down.peer.framer_for(down_conn, false)),
        to_up_(up.peer.framer_for(up_conn, true)) {}

  // Advances both clocks by `tick` and moves what was sent, until both sides are closed or `ticks` run out.
  void run(int ticks, Duration tick = milliseconds(10)) {
    for (int i = 0; i < ticks && !(closed(down_, down_conn_) && closed(up_, up_conn_)); ++i) {
      up_.runtime.advance(tick);
      down_.runtime.advance(tick);
      carry(up_, up_conn_, to_down_, down_, down_conn_);
      carry(down_, down_conn_, to_up_, up_, up_conn_);
    }
  }

 private:
  static bool closed(Node& node, ConnId conn) { return node.runtime.closed.contains(conn); }
  static void carry(Node& from, ConnId from_conn, FrameAssembler& frames, Node& to, ConnId to_conn) {
    for (const Bytes& bytes : from.runtime.take_sent(from_conn)) frames.append(bytes);
    if (!closed(to, to_conn)) {
      ASSERT_TRUE(frames
                      .drain([&](ByteView frame) {
                        to.peer.on_frame(to_conn, frame);
                        return true;
                      })
                      .ok());
    }
    if (closed(from, from_conn) && !closed(to, to_conn)) {
      to.runtime.closed[to_conn] = "closed by the other side";
      to.peer.on_closed(to_conn, "closed by the other side");
    }
  }

  Node& down_;
  Node& up_;
  ConnId down_conn_;
  ConnId up_conn_;
  FrameAssembler to_down_;
  FrameAssembler to_up_;
};

class DownloadTest : public ::testing::Test {
 protected:
  explicit DownloadTest(const PeerConfig& bob_config = config_for("bob"))
      : alice(config_for("alice"), kAliceAddress, folder({{"blue river.mp3", 100'000}})),
        bob(bob_config, kBobAddress, folder({})) {
    bob_server = bob.start_online();
    take_messages(bob.runtime, bob_server);
  }

  SearchResult alices_song() const {
    auto file = alice.peer.files().find("blue river.mp3");
    return {{file->name, file->md5, file->size, 128, 44100, 0}, "alice", napster_ip(kAliceAddress), 8, 7000};
  }

  // Bob asks the server where the result lives, the server acks with Alice's data port, and Bob dials it.
  Wire start(const SearchResult& result) {
    bob.peer.download(result);
    auto requests = only<DownloadRequest>(take_messages(bob.runtime, bob_server));
    EXPECT_EQ(requests.size(), 1u);
    bob.from_server(bob_server,
                    DownloadAck{"alice", result.ip, result.data_port, result.file.name, result.file.md5, 8});
    ConnId bob_conn = bob.last_dial();
    EXPECT_EQ(bob.runtime.dialled.at(bob_conn), kAliceAddress);
    bob.peer.on_connected(bob_conn, false, kAliceAddress);
    ConnId alice_conn = alice.runtime.accept(alice.peer, {kBobAddress.host, 0});
    return Wire(bob, bob_conn, alice, alice_conn);
  }

  Node alice;
  Node bob;
  ConnId bob_server;
};

TEST_F(DownloadTest, ADownloadStraightFromTheOwnerVerifiesItsMd5AndIsShared) {
  Wire wire = start(alices_song());
  wire.run(100);

  auto done = events_named(bob.runtime, "download_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].data["ok"], true);
  EXPECT_EQ(done[0].data["md5_ok"], true);
  EXPECT_EQ(done[0].data["bytes"], 100'000);
  // The file is now Bob's to share: it is in his folder and announced to the server.
  EXPECT_EQ(bob.peer.files().find("blue river.mp3")->md5, alices_song().file.md5);
  auto shares = only<ShareFile>(take_messages(bob.runtime, bob_server));
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0].file.name, "blue river.mp3");
  // Alice counts a finished upload.
  EXPECT_EQ(alice.peer.status()["uploads_ok"], 1);
  EXPECT_EQ(alice.peer.status()["bytes_up"], 100'000);
  EXPECT_EQ(bob.peer.status()["bytes_down"], 100'000);
}

// Bob keeps his downloads to himself (share_downloads off).
class KeptDownloadTest : public DownloadTest {
 protected:
  KeptDownloadTest() : DownloadTest(keeping()) {}
  static PeerConfig keeping() {
    PeerConfig config = config_for("bob");
    config.share_downloads = false;
    return config;
  }
};

TEST_F(KeptDownloadTest, AVerifiedDownloadIsStoredButNeitherAnnouncedNorServed) {
  Wire wire = start(alices_song());
  wire.run(100);
  ASSERT_EQ(events_named(bob.runtime, "download_done").at(0).data["ok"], true);
  EXPECT_TRUE(bob.peer.files().find("blue river.mp3").has_value());
  EXPECT_TRUE(only<ShareFile>(take_messages(bob.runtime, bob_server)).empty());
  EXPECT_EQ(bob.peer.status()["shared_files"], 0);

  // Not at the next login either.
  bob.peer.on_closed(bob_server, "connection reset");
  bob.runtime.advance(seconds(2));
  ConnId again = bob.accept_login();
  EXPECT_TRUE(only<ShareFile>(take_messages(bob.runtime, again)).empty());

  // And a downloader asking for it by name is told it is not shared.
  ConnId conn = bob.runtime.accept(bob.peer);
  bob.peer.on_frame(conn, as_bytes("GET"));
  bob.peer.on_frame(conn, encode_request({"carol", "blue river.mp3", 0}));
  auto sent = bob.runtime.take_sent(conn);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(as_chars(sent[1]), kFileNotShared);
}

TEST_F(DownloadTest, ACorruptFileIsDetectedAndNotKept) {
  SearchResult lying = alices_song();
  lying.file.md5[0] ^= 0xff;
  Wire wire = start(lying);
  wire.run(100);

  auto done = events_named(bob.runtime, "download_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].data["ok"], false);
  EXPECT_EQ(done[0].data["md5_ok"], false);
  EXPECT_FALSE(bob.peer.files().find("blue river.mp3").has_value());
  EXPECT_EQ(bob.peer.status()["downloads_corrupt"], 1);
}

TEST_F(DownloadTest, ATransferInFlightCarriesOnWhenTheServerDies) {
  Wire wire = start(alices_song());
  wire.run(1);  // greeting and request exchanged, data under way

  bob.peer.on_closed(bob_server, "connection reset");
  EXPECT_EQ(bob.peer.server_state(), ServerState::AwaitingRetry);
  wire.run(100);

  auto done = events_named(bob.runtime, "download_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].data["ok"], true);
  EXPECT_EQ(done[0].data["md5_ok"], true);
}

TEST_F(DownloadTest, AFileThatIsGoneFailsWithoutATransfer) {
  bob.peer.download(alices_song());
  take_messages(bob.runtime, bob_server);
  bob.from_server(bob_server, DownloadError{"alice", "blue river.mp3"});
  auto done = events_named(bob.runtime, "download_done");
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].data["ok"], false);
  EXPECT_TRUE(done[0].data["md5_ok"].is_null());
  EXPECT_EQ(bob.runtime.dialled.size(), 1u) << "only the server was dialled";
}

TEST(PeerWorkloadTest, SearchesCatalogueWordsAndDownloadsAResult) {
  auto catalogue = content::Catalogue::generate({.files = 50, .seed = 3});
  ASSERT_TRUE(catalogue.ok());
  PeerConfig config = config_for("bob");
  config.query_rate = 2;
  Node bob(config, kBobAddress, folder({}), std::make_shared<content::QueryWorkload>(*catalogue));
  ConnId server = bob.start_online();
  take_messages(bob.runtime, server);

  // About two searches a second, each for the three name words of a catalogue file.
  bob.runtime.advance(seconds(5));
  auto searches = only<SearchRequest>(take_messages(bob.runtime, server));
  ASSERT_GE(searches.size(), 3u);
  ASSERT_LE(searches.size(), 8u);  // at most max_searches_in_flight go out unanswered
  auto named_by = [](const content::FileEntry& f) {
    return f.keywords[0] + " " + f.keywords[1] + " " + f.keywords[2];
  };
  auto wanted_it = std::find_if(catalogue->files().begin(), catalogue->files().end(),
                                [&](const auto& f) { return named_by(f) == searches[0].words; });
  ASSERT_NE(wanted_it, catalogue->files().end()) << searches[0].words;
  const content::FileEntry& wanted = *wanted_it;

  // The first search is answered with Alice's copy: Bob asks where to fetch it.
  SearchResult hit{
      {wanted.name, {}, wanted.size, 128, 44100, 0}, "alice", napster_ip(kAliceAddress), 8, 7000};
  bob.from_server(server, hit);
  bob.from_server(server, SearchEnd{});
  auto requests = only<DownloadRequest>(take_messages(bob.runtime, server));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].name, wanted.name);
}

}  // namespace
}  // namespace p2p::napster

// Tests of the Napster server core on a FakeRuntime: logins, shares, searches, browses, download acks and
// rejects.
#include "napster/server.h"

#include <gtest/gtest.h>

#include "tests/napster/wire.h"

namespace p2p::napster {
namespace {

using p2p::testing::FakeRuntime;
using testing::only;
using testing::take_messages;

FileInfo file(std::string name, std::uint64_t size = 5000) {
  FileInfo f;
  f.name = std::move(name);
  f.size = size;
  f.md5[0] = 0xab;
  return f;
}

class ServerTest : public ::testing::Test {
 protected:
  ServerTest() { runtime.attach(server); }

  // A client connects from `host` and logs in; the login's replies are consumed.
  ConnId login(const std::string& nick, const std::string& host, std::uint16_t data_port = 6699) {
    ConnId conn = runtime.accept(server, {host, 0});
    send(conn, Login{nick, "pass", data_port, "p2plab", 8});
    auto replies = take_messages(runtime, conn);
    EXPECT_EQ(only<LoginAck>(replies).size(), 1u) << nick;
    return conn;
  }
  void send(ConnId conn, const Message& message) { server.on_frame(conn, encode(message)); }
  std::vector<Message> replies(ConnId conn) { return take_messages(runtime, conn); }

  FakeRuntime runtime;
  Server server{runtime};
};

TEST_F(ServerTest, LoginShareSearchReturnsResultsThenEnd) {
  // Alice logs in from 10.0.0.1 with data port 6699 and shares two files.
  ConnId alice = login("alice", "10.0.0.1");
  send(alice, ShareFile{file("blue river.mp3", 1234)});
  send(alice, ShareFile{file("red sky.mp3")});
  EXPECT_TRUE(replies(alice).empty());

  // Bob searches for "RIVER": one result carrying Alice's nick, address, port, size and MD5, then the end.
  ConnId bob = login("bob", "10.0.0.2");
  send(bob, SearchRequest{"RIVER", 50});
  auto answer = replies(bob);
  ASSERT_EQ(answer.size(), 2u);
  const auto& hit = std::get<SearchResult>(answer[0]);
  EXPECT_EQ(hit.file, file("blue river.mp3", 1234));
  EXPECT_EQ(hit.nick, "alice");
  EXPECT_EQ(hit.ip, napster_ip({"10.0.0.1", 0}));
  EXPECT_EQ(hit.data_port, 6699);
  EXPECT_EQ(hit.link_type, 8u);
  EXPECT_TRUE(std::holds_alternative<SearchEnd>(answer[1]));
  EXPECT_EQ(server.status()["searches"], 1);
}

TEST_F(ServerTest, SearchResultsNeverExceedTheNapsterCap) {
  // Alice shares 150 matching files; Bob asks for 1000 results and gets napster.txt's 100, then the end.
  ConnId alice = login("alice", "10.0.0.1");
  for (int i = 0; i < 150; ++i) send(alice, ShareFile{file("hit " + std::to_string(i) + ".mp3")});
  ConnId bob = login("bob", "10.0.0.2");
  send(bob, SearchRequest{"hit", 1000});
  auto answer = replies(bob);
  EXPECT_EQ(only<SearchResult>(answer).size(), kMaxResults);
  EXPECT_TRUE(std::holds_alternative<SearchEnd>(answer.back()));
}

TEST_F(ServerTest, LoginIsAcknowledgedWithStats) {
  ConnId conn = runtime.accept(server, {"10.0.0.1", 0});
  send(conn, Login{"alice", "pass", 6699, "p2plab", 8});
  auto answer = replies(conn);
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_EQ(std::get<LoginAck>(answer[0]).email, "anon@p2plab");
  EXPECT_EQ(std::get<ServerStats>(answer[1]).users, 1u);
}

TEST_F(ServerTest, DuplicateNickIsRefusedWithAClearError) {
  ConnId first = login("alice", "10.0.0.1");
  // A second "alice" gets an error message saying why, and its connection is closed and counted.
  ConnId second = runtime.accept(server, {"10.0.0.9", 0});
  send(second, Login{"alice", "pass", 6699, "p2plab", 8});
  auto answer = replies(second);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_NE(std::get<ErrorMessage>(answer[0]).text.find("already logged in"), std::string::npos);
  ASSERT_TRUE(runtime.closed.contains(second));
  EXPECT_NE(runtime.closed[second].find("duplicate_nick"), std::string::npos);
  runtime.pump();
  EXPECT_EQ(server.status()["rejected"]["duplicate_nick"], 1);

  // The first alice is untouched.
  EXPECT_FALSE(runtime.closed.contains(first));
  EXPECT_EQ(server.users(), 1u);
}

TEST_F(ServerTest, FilesLeaveTheIndexWhenTheConnectionCloses) {
  ConnId alice = login("alice", "10.0.0.1");
  send(alice, ShareFile{file("blue river.mp3")});
  ConnId bob = login("bob", "10.0.0.2");

  server.on_closed(alice, "connection reset");
  EXPECT_EQ(server.index().stats().files, 0u);
  send(bob, SearchRequest{"river", 50});
  auto answer = replies(bob);
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<SearchEnd>(answer[0]));

  // The nick is free again.
  login("alice", "10.0.0.3");
}

TEST_F(ServerTest, BrowseListsAUsersFilesThenEnds) {
  ConnId alice = login("alice", "10.0.0.1");
  send(alice, ShareFile{file("b.mp3")});
  send(alice, ShareFile{file("a.mp3")});
  ConnId bob = login("bob", "10.0.0.2");

  send(bob, BrowseRequest{"alice"});
  auto answer = replies(bob);
  ASSERT_EQ(answer.size(), 3u);
  EXPECT_EQ(std::get<BrowseEntry>(answer[0]), (BrowseEntry{"alice", file("a.mp3")}));
  EXPECT_EQ(std::get<BrowseEntry>(answer[1]), (BrowseEntry{"alice", file("b.mp3")}));
  EXPECT_EQ(std::get<BrowseEnd>(answer[2]).nick, "alice");

  // Browsing someone offline says so, and still ends the list.
  send(bob, BrowseRequest{"carol"});
  answer = replies(bob);
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_NE(std::get<ErrorMessage>(answer[0]).text.find("not online"), std::string::npos);
  EXPECT_EQ(std::get<BrowseEnd>(answer[1]).nick, "carol");
}

TEST_F(ServerTest, DownloadRequestIsAckedWithTheOwnersAddressAndDataPort) {
  ConnId alice = login("alice", "10.0.0.1", 7001);
  send(alice, ShareFile{file("blue river.mp3")});
  ConnId bob = login("bob", "10.0.0.2");

  send(bob, DownloadRequest{"alice", "blue river.mp3"});
  auto answer = replies(bob);
  ASSERT_EQ(answer.size(), 1u);
  const auto& ack = std::get<DownloadAck>(answer[0]);
  EXPECT_EQ(endpoint_from_napster_ip(ack.ip, ack.data_port), (Endpoint{"10.0.0.1", 7001}));
  EXPECT_EQ(ack.name, "blue river.mp3");
  EXPECT_EQ(ack.md5, file("x").md5);

  // A file alice does not share, or a user who is not online, gets a 206.
  send(bob, DownloadRequest{"alice", "nothing.mp3"});
  send(bob, DownloadRequest{"carol", "blue river.mp3"});
  answer = replies(bob);
  ASSERT_EQ(only<DownloadError>(answer).size(), 2u);
  EXPECT_EQ(server.status()["downloads_refused"], 2);
}

TEST_F(ServerTest, FirewalledOwnersAreAdvertisedWithPortZero) {
  ConnId alice = login("alice", "10.0.0.1", 0);
  send(alice, ShareFile{file("blue river.mp3")});
  ConnId bob = login("bob", "10.0.0.2");
  send(bob, SearchRequest{"blue", 5});
  EXPECT_EQ(only<SearchResult>(replies(bob)).at(0).data_port, 0);
}

TEST_F(ServerTest, StatsCountUsersFilesAndGigabytes) {
  ConnId alice = login("alice", "10.0.0.1");
  send(alice, ShareFile{file("big one.mp3", 3ull << 30)});
  send(alice, StatsRequest{});
  EXPECT_EQ(std::get<ServerStats>(replies(alice).at(0)), (ServerStats{1, 1, 3}));
}

TEST_F(ServerTest, DuplicateShareAndUnknownUnshareAnswerAnErrorButKeepTheConnection) {
  ConnId alice = login("alice", "10.0.0.1");
  send(alice, ShareFile{file("a.mp3")});
  send(alice, ShareFile{file("a.mp3")});
  send(alice, UnshareFile{"zzz.mp3"});
  EXPECT_EQ(only<ErrorMessage>(replies(alice)).size(), 2u);
  EXPECT_FALSE(runtime.closed.contains(alice));
  send(alice, UnshareFile{"a.mp3"});
  EXPECT_EQ(server.index().stats().files, 0u);
}

TEST_F(ServerTest, GarbageClosesTheConnectionWithACountedReason) {
  // Bytes that are not an OpenNap message: an error message, then a close whose reason is counted.
  ConnId garbage = runtime.accept(server);
  Bytes junk = {4, 0, 0xc8, 0, 'x', 'y', '"', 'z'};
  server.on_frame(garbage, junk);
  EXPECT_EQ(only<ErrorMessage>(replies(garbage)).size(), 1u);
  EXPECT_NE(runtime.closed[garbage].find("bad_frame"), std::string::npos);

  // A search before logging in.
  ConnId eager = runtime.accept(server);
  send(eager, SearchRequest{"x", 1});
  EXPECT_NE(runtime.closed[eager].find("before_login"), std::string::npos);

  // A message only a server sends.
  ConnId confused = login("confused", "10.0.0.3");
  send(confused, SearchEnd{});
  EXPECT_NE(runtime.closed[confused].find("unexpected_message"), std::string::npos);

  runtime.pump();
  auto rejected = server.status()["rejected"];
  EXPECT_EQ(rejected["bad_frame"], 1);
  EXPECT_EQ(rejected["before_login"], 1);
  EXPECT_EQ(rejected["unexpected_message"], 1);
  EXPECT_EQ(server.users(), 0u);
  ASSERT_FALSE(runtime.events.empty());
  EXPECT_EQ(runtime.events.back().name, "logout");
}

TEST_F(ServerTest, AConnectionThatNeverLogsInIsClosed) {
  ConnId idle = runtime.accept(server);
  ConnId prompt = login("alice", "10.0.0.1");
  runtime.advance(seconds(31));
  EXPECT_NE(runtime.closed[idle].find("login_timeout"), std::string::npos);
  EXPECT_FALSE(runtime.closed.contains(prompt));
}

}  // namespace
}  // namespace p2p::napster

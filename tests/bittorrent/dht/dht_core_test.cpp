// DhtCore on a FakeRuntime: it bootstraps over datagrams, announces once joined, refuses TCP, retries on
// its timer, and publishes what the dashboard and the lab read.
#include "bittorrent/dht/dht_core.h"

#include <gtest/gtest.h>

#include "tests/bittorrent/dht/ids.h"
#include "tests/support/fake_runtime.h"

namespace p2p::bittorrent::dht {
namespace {

using test::id_from_bits;

const Endpoint kBootstrap{"127.0.0.2", 6881};

Message decoded(const testing::FakeRuntime::Datagram& datagram) {
  auto message = decode_krpc(datagram.bytes);
  EXPECT_TRUE(message) << message.reason();
  return message ? *message : Message{};
}

TEST(DhtCoreTest, JoinsThroughItsBootstrapNodeThenAnnounces) {
  testing::FakeRuntime runtime;
  DhtCoreConfig config;
  config.id = id_from_bits("0");
  config.bootstrap = {kBootstrap};
  config.announce = DhtAnnounce{id_from_bits("1"), 6881};
  DhtCore core(runtime, config);
  runtime.attach(core);
  EXPECT_TRUE(core.uses_datagrams());
  core.on_start();

  // find_node for its own id, to the bootstrap node.
  ASSERT_EQ(runtime.sent_datagrams.size(), 1u);
  EXPECT_EQ(runtime.sent_datagrams[0].remote, kBootstrap);
  Message asked = decoded(runtime.sent_datagrams[0]);
  EXPECT_EQ(std::get<Query>(asked.body).args, QueryArgs{FindNode{id_from_bits("0")}});
  EXPECT_FALSE(core.joined());

  // The bootstrap node answers with no one else: the node has joined and announces through get_peers.
  runtime.sent_datagrams.clear();
  Response answer{id_from_bits("11"), std::vector<NodeInfo>{}, {}, {}};
  runtime.deliver_datagram(core, kBootstrap, encode_krpc(Message{asked.transaction, answer, ""}));
  EXPECT_TRUE(core.joined());
  bool get_peers_sent = false;
  for (const auto& datagram : runtime.sent_datagrams) {
    Message message = decoded(datagram);
    const auto* query = std::get_if<Query>(&message.body);
    if (query != nullptr && std::holds_alternative<GetPeers>(query->args)) get_peers_sent = true;
  }
  EXPECT_TRUE(get_peers_sent);

  nlohmann::json status = core.status();
  EXPECT_EQ(status["table_size"], 1);
  EXPECT_EQ(status["joined"], true);
  EXPECT_EQ(status["last_lookup"]["kind"], "bootstrap");
  EXPECT_EQ(status["last_lookup"]["path"].size(), 1u);
  EXPECT_EQ(status["last_lookup"]["path"][0]["distance_bits"], kIdBits);  // "11..." against "00..."
}

TEST(DhtCoreTest, RetriesOnItsTimerAndCountsTheFailure) {
  testing::FakeRuntime runtime;
  DhtCoreConfig config;
  config.bootstrap = {kBootstrap};
  DhtCore core(runtime, config);
  runtime.attach(core);
  core.on_start();
  runtime.advance(std::chrono::seconds(5));
  EXPECT_EQ(runtime.sent_datagrams.size(), 2u);  // the query and its one retry
  EXPECT_TRUE(core.joined());                    // with nobody: a lone first node
  EXPECT_EQ(core.status()["timeouts"], 1);
  EXPECT_EQ(core.status()["retries"], 1);
}

TEST(DhtCoreTest, RefusesTcpAndCountsGarbage) {
  testing::FakeRuntime runtime;
  DhtCore core(runtime, DhtCoreConfig{});
  runtime.attach(core);
  core.on_start();
  ConnId conn = runtime.accept(core);
  EXPECT_TRUE(runtime.closed.contains(conn));
  runtime.deliver_datagram(core, kBootstrap, as_bytes(std::string("not bencode")));
  EXPECT_TRUE(runtime.sent_datagrams.empty());
  EXPECT_EQ(core.status()["drops"]["malformed"], 1);
}

// The lab lookups a node has reported so far.
std::vector<nlohmann::json> lookups(const testing::FakeRuntime& runtime) {
  std::vector<nlohmann::json> out;
  for (const auto& event : runtime.events) {
    if (event.name == "lookup_done") out.push_back(event.data);
  }
  return out;
}

TEST(DhtCoreTest, LooksUpARandomIdEveryPeriodAndReportsEachLookup) {
  testing::FakeRuntime runtime;
  DhtCoreConfig config;
  config.id = id_from_bits("1");
  config.lookup_every = std::chrono::seconds(10);
  DhtCore core(runtime, config);
  runtime.attach(core);
  core.on_start();  // no bootstrap node: joined at once
  // Its id first, for the lab's check of lookups.
  ASSERT_EQ(runtime.events.size(), 1u);
  EXPECT_EQ(runtime.events[0].name, "dht_started");
  EXPECT_EQ(runtime.events[0].data["node_id"], "8" + std::string(39, '0'));

  // The first lookup comes somewhere within the first period, then one every period. With an empty table
  // each ends at once, having found no one.
  runtime.advance(std::chrono::seconds(10));
  ASSERT_EQ(lookups(runtime).size(), 1u);
  runtime.advance(std::chrono::seconds(20));
  auto done = lookups(runtime);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[2]["found"], 0);
  EXPECT_EQ(done[2]["messages"], 0);
  EXPECT_EQ(done[2]["closest"], nlohmann::json::array());
  EXPECT_EQ(done[2]["target"].get<std::string>().size(), 2 * kIdBytes);
  // Two random targets.
  EXPECT_NE(done[0]["target"], done[1]["target"]);
}

TEST(DhtCoreTest, LooksUpNothingOfItsOwnByDefault) {
  testing::FakeRuntime runtime;
  DhtCore core(runtime, DhtCoreConfig{});
  runtime.attach(core);
  core.on_start();
  runtime.advance(std::chrono::minutes(5));
  EXPECT_TRUE(lookups(runtime).empty());
}

}  // namespace
}  // namespace p2p::bittorrent::dht

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

}  // namespace
}  // namespace p2p::bittorrent::dht

// Overlay: dialling toward the degree from the host cache, a fixed lab topology, admission and X-Try, and
// the rule that settles duplicate links.
#include "gnutella/overlay.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::gnutella {
namespace {

const Endpoint kSelf{"127.0.0.5", 6346};

Endpoint host(int n) {
  return Endpoint{"127.0.0." + std::to_string(n), 6346};
}
TimePoint at(double seconds) {
  return TimePoint{} + from_seconds(seconds);
}

TEST(OverlayTest, DialsBootstrapHostsThenCachedOnesUpToTheDegree) {
  OverlayConfig config;
  config.degree = 3;
  config.bootstrap = {host(1)};
  Overlay overlay(kSelf, config);
  overlay.start(at(0));
  Rng rng(1);

  // At first only the bootstrap host is known.
  EXPECT_EQ(overlay.to_dial(rng, {}, 0, at(0)), std::vector<Endpoint>{host(1)});

  // Linked to it, and having heard of four more hosts, it dials two of those, never one already linked.
  for (int n : {2, 3, 4, 6}) overlay.learn(host(n), at(1));
  std::vector<Endpoint> linked = {host(1)};
  std::vector<Endpoint> dials = overlay.to_dial(rng, linked, 1, at(1));
  ASSERT_EQ(dials.size(), 2u);
  EXPECT_NE(dials[0], dials[1]);
  for (const Endpoint& d : dials) EXPECT_NE(d, host(1));

  // At the degree, it dials no one.
  EXPECT_TRUE(overlay.to_dial(rng, linked, 3, at(2)).empty());
}

TEST(OverlayTest, AloneWithEveryCachedHostFailedItStartsOverFromTheBootstrapHosts) {
  OverlayConfig config;
  config.bootstrap = {host(1)};
  config.host_cache.max_failures = 1;
  Overlay overlay(kSelf, config);
  overlay.start(at(0));
  Rng rng(1);
  overlay.dial_failed(host(1));  // forgotten after one failure
  EXPECT_EQ(overlay.hosts().size(), 0u);
  EXPECT_EQ(overlay.to_dial(rng, {}, 0, at(5)), std::vector<Endpoint>{host(1)});
}

TEST(OverlayTest, AFixedTopologyDialsExactlyItsListedNeighboursAndTakesAnyoneIn) {
  OverlayConfig config;
  config.fixed = true;
  config.neighbours = {host(2), host(7), host(9)};
  config.degree = 1;  // ignored: the graph decides
  config.max_degree = 1;
  Overlay overlay(kSelf, config);
  overlay.start(at(0));
  Rng rng(1);
  EXPECT_EQ(overlay.to_dial(rng, {}, 0, at(0)), (std::vector<Endpoint>{host(2), host(7), host(9)}));
  // A lost or unanswered neighbour is dialled again; hosts learnt from pongs never are.
  overlay.learn(host(8), at(1));
  std::vector<Endpoint> linked = {host(2), host(9)};
  EXPECT_EQ(overlay.to_dial(rng, linked, 2, at(1)), std::vector<Endpoint>{host(7)});

  // Whoever dials in is welcome, even past max_degree (a hub of a power-law graph), but only once.
  EXPECT_TRUE(overlay.admit(host(3), 5, {}, {}).accept);
  std::vector<Endpoint> connected = {host(2)};
  EXPECT_EQ(overlay.admit(host(2), 1, connected, connected).reason, "already connected");
}

TEST(OverlayTest, AFullServentRefusesAndNamesItsNeighboursFirst) {
  OverlayConfig config;
  config.max_degree = 2;
  Overlay overlay(kSelf, config);
  overlay.learn(host(20), at(5));  // heard of recently, not linked
  std::vector<Endpoint> linked = {host(1), host(2)};

  EXPECT_TRUE(overlay.admit(host(3), 1, {}, {}).accept);
  HandshakeSession::Admission full = overlay.admit(host(3), 2, linked, linked);
  EXPECT_FALSE(full.accept);
  EXPECT_EQ(full.reason, "full with 2 neighbours");
  EXPECT_EQ(full.try_hosts, (std::vector<Endpoint>{host(1), host(2), host(20)}));
  // The refused host is never told to try itself.
  overlay.learn(host(3), at(6));
  EXPECT_EQ(overlay.admit(host(3), 2, linked, linked).try_hosts,
            (std::vector<Endpoint>{host(1), host(2), host(20)}));
}

TEST(OverlayTest, BothEndsKeepTheSameOfTwoDuplicateLinks) {
  // .5 and .9 dialled each other at once: each keeps the link .5 dialled.
  Overlay low(host(5), {});
  Overlay high(host(9), {});
  EXPECT_TRUE(low.keeps_duplicate(/*we_dialled=*/true, host(9)));
  EXPECT_FALSE(low.keeps_duplicate(/*we_dialled=*/false, host(9)));
  EXPECT_TRUE(high.keeps_duplicate(/*we_dialled=*/false, host(5)));
  EXPECT_FALSE(high.keeps_duplicate(/*we_dialled=*/true, host(5)));
}

}  // namespace
}  // namespace p2p::gnutella

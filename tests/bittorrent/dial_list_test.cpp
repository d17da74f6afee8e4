// DialList: which learned addresses are due to be dialled, and when.
#include "bittorrent/dial_list.h"

#include <gtest/gtest.h>

#include <set>

namespace p2p::bittorrent {
namespace {

using std::chrono::milliseconds;

const Endpoint kSelf{"127.0.0.1", 7000};
const Endpoint kSmaller{"127.0.0.1", 6000};
const Endpoint kLarger{"127.0.0.1", 8000};

std::vector<Endpoint> endpoints(const std::vector<DialList::Due>& due) {
  std::vector<Endpoint> out;
  for (const DialList::Due& d : due) out.push_back(d.endpoint);
  return out;
}

DialList list() {
  return DialList(DialListConfig{.max_addresses = 10,
                                 .redial_after = std::chrono::seconds(30),
                                 .self = kSelf,
                                 .yield_for = std::chrono::seconds(1)});
}

TEST(DialListTest, ASmallerAddressIsDialledAtOnceALargerOneAfterTheYield) {
  DialList dials = list();
  TimePoint t0{};
  dials.learn(kSmaller, PeerSource::Tracker, t0);
  dials.learn(kLarger, PeerSource::Tracker, t0);
  EXPECT_EQ(endpoints(dials.due({}, 10, t0)), std::vector<Endpoint>{kSmaller});
  EXPECT_TRUE(dials.due({}, 10, t0 + milliseconds(999)).empty());
  EXPECT_EQ(endpoints(dials.due({}, 10, t0 + milliseconds(1000))), std::vector<Endpoint>{kLarger});
}

TEST(DialListTest, ALargerPeerThatDialledUsInTheMeantimeIsNotDialled) {
  DialList dials = list();
  TimePoint t0{};
  dials.learn(kLarger, PeerSource::Pex, t0);
  EXPECT_TRUE(dials.due({kLarger}, 10, t0 + std::chrono::seconds(2)).empty());
}

TEST(DialListTest, AGivenAddressIsDialledAtOnceWhateverItsOrder) {
  DialList dials = list();
  dials.learn(kLarger, PeerSource::Given, TimePoint{});
  EXPECT_EQ(endpoints(dials.due({}, 10, TimePoint{})), std::vector<Endpoint>{kLarger});
}

TEST(DialListTest, AFailedAddressIsDialledAgainOnlyAfterRedialAfter) {
  DialList dials = list();
  TimePoint t0{};
  dials.learn(kSmaller, PeerSource::Tracker, t0);
  EXPECT_EQ(dials.due({}, 10, t0).size(), 1u);
  EXPECT_TRUE(dials.due({}, 10, t0 + std::chrono::seconds(29)).empty());
  EXPECT_EQ(dials.due({}, 10, t0 + std::chrono::seconds(30)).size(), 1u);
}

TEST(DialListTest, ARedialIsDueOnlyOnceSomeAddressWasDialledRedialAfterAgo) {
  DialList dials = list();
  TimePoint t0{};
  EXPECT_FALSE(dials.any_redial_due(t0));  // nothing known
  dials.learn(kSmaller, PeerSource::Tracker, t0);
  EXPECT_TRUE(dials.any_redial_due(t0));  // never dialled
  dials.due({}, 10, t0);
  EXPECT_FALSE(dials.any_redial_due(t0 + std::chrono::seconds(29)));
  EXPECT_TRUE(dials.any_redial_due(t0 + std::chrono::seconds(30)));
}

TEST(DialListTest, NoMoreThanMaxAddressesAreKept) {
  DialList dials = list();
  for (std::uint16_t port = 1; port <= 20; ++port)
    dials.learn({"127.0.0.2", port}, PeerSource::Pex, TimePoint{});
  EXPECT_EQ(dials.addresses().size(), 10u);
  EXPECT_EQ(dials.learned_from(PeerSource::Pex), 10u);
}

}  // namespace
}  // namespace p2p::bittorrent

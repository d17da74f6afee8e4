// Fuzz target for the DHT node as a whole (BEP 5): any datagram, from any of a few addresses, is answered,
// refused or dropped with a counted reason, and never breaks the node's bounds: the table keeps at most k
// nodes a bucket, every answer it sends decodes, and what it sends fits in one datagram.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "bittorrent/dht/node.h"

namespace {

namespace dht = p2p::bittorrent::dht;

struct Harness {
  p2p::Rng rng{1};
  p2p::TimePoint now{std::chrono::hours(1)};
  std::unique_ptr<dht::Node> node;

  Harness() {
    dht::NodeConfig config;
    config.id = dht::NodeId::random(rng);
    node = std::make_unique<dht::Node>(config, rng, now, [](const p2p::Endpoint&, p2p::Bytes bytes) {
      if (bytes.size() > dht::kMaxMessageBytes || !dht::decode_krpc(bytes)) std::abort();
    });
  }
};

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  // The first byte picks the sender among 16 addresses and the clock's step, so that inputs build on each
  // other's state: tables, awaited queries, rate limits.
  std::uint8_t pick = size > 0 ? data[0] : 0;
  p2p::Endpoint from = p2p::Endpoint::from_ipv4(0x0a000001u + (pick & 0x0f), 6881);
  harness.now += std::chrono::milliseconds(100 * (pick >> 4));
  p2p::ByteView datagram = size > 0 ? p2p::ByteView(data + 1, size - 1) : p2p::ByteView();
  harness.node->on_datagram(from, datagram, harness.now);
  harness.node->tick(harness.now);
  for (const dht::Bucket& bucket : harness.node->table().buckets()) {
    if (bucket.nodes.size() > dht::kBucketSize) std::abort();
  }
  return 0;
}

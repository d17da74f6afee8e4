// Fuzz target for the Gnutella servent: any byte stream on an inbound connection (a handshake and then
// descriptors, or an HTTP request) goes through the framers a runtime would use; the servent must not crash,
// and a well-behaved neighbour must still have its queries forwarded afterwards.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/util/hash.h"
#include "gnutella/servent.h"
#include "tests/fuzz/core_fuzz.h"

namespace {

using namespace p2p;
using namespace p2p::gnutella;

void link_in(testing::FakeRuntime& runtime, Core& core, ConnId conn, const Endpoint& listen) {
  std::string text =
      to_text(connect_request(servent_headers("peer", listen))) + "GNUTELLA/0.6 200 OK\r\n\r\n";
  fuzz::feed_in_two_segments(runtime, core, conn, true, as_bytes(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  testing::FakeRuntime runtime(1, {"127.0.0.1", 6346});
  ServentConfig config;
  config.catalogue = fuzz::small_catalogue();
  config.shared = {1, 2, 3};
  Servent servent(runtime, config);
  runtime.attach(servent);
  servent.on_start();
  ConnId good = runtime.accept(servent, {"10.0.0.1", 0});
  link_in(runtime, servent, good, {"10.0.0.1", 7000});

  fuzz::feed_in_two_segments(runtime, servent, runtime.accept(servent, {"10.0.0.2", 0}), true,
                             ByteView(data, size));

  // The good neighbour's link survives, and a second one still hears its queries. What the check uses is
  // drawn from the input's hash, which the input cannot hold: a servent rightly drops a query whose GUID it
  // has seen (0.6 spec, "Descriptor Routing") and refuses a second neighbour that claims a listening address
  // it already has, and the fuzzer soon finds any fixed GUID or address and sends it first.
  Sha1Digest digest = sha1(ByteView(data, size));
  auto port = static_cast<std::uint16_t>(1024 + ((digest[16] << 8) | digest[17]) % 60000);
  ConnId other = runtime.accept(servent, {"10.0.0.3", 0});
  link_in(runtime, servent, other, {"10.0.0.3", port});
  runtime.take_sent(other);
  Guid guid{};
  std::copy_n(digest.begin(), guid.size(), guid.begin());
  servent.on_frame(good, encode_descriptor(guid, 3, 0, Query{0, "anything", {}}).value());
  if (runtime.closed.contains(good) || runtime.take_sent(other).empty()) std::abort();
  return 0;
}

// Fuzz target for the Gnutella servent: any byte stream on an inbound connection (a handshake and then
// descriptors, or an HTTP request) goes through the framers a runtime would use; the servent must not crash,
// and a well-behaved neighbour must still have its queries forwarded afterwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "gnutella/servent.h"
#include "tests/support/fake_runtime.h"

namespace {

using namespace p2p;
using namespace p2p::gnutella;

std::shared_ptr<const content::Catalogue> catalogue() {
  static const auto files = [] {
    content::CatalogueConfig config;
    config.files = 10;
    config.min_size = 100;
    config.max_size = 4000;
    return std::make_shared<const content::Catalogue>(content::Catalogue::generate(config).value());
  }();
  return files;
}

// Delivers `input` on `conn` in two TCP segments, cut by the servent's framers, swapping them when it asks.
void feed(testing::FakeRuntime& runtime, Core& core, ConnId conn, ByteView input) {
  FrameAssembler assembler(core.framer_for(conn, true));
  for (ByteView segment : {input.first(input.size() / 2), input.subspan(input.size() / 2)}) {
    assembler.append(segment);
    auto drained = assembler.drain([&](ByteView frame) {
      if (runtime.closed.contains(conn)) return false;
      core.on_frame(conn, frame);
      if (auto framer = runtime.framers.extract(conn)) assembler.set_framer(std::move(framer.mapped()));
      return true;
    });
    if (!drained) runtime.close(conn, drained.reason());
    runtime.advance(milliseconds(20));
  }
  runtime.pump();
}

void link_in(testing::FakeRuntime& runtime, Core& core, ConnId conn, const Endpoint& listen) {
  std::string text =
      to_text(connect_request(servent_headers("peer", listen))) + "GNUTELLA/0.6 200 OK\r\n\r\n";
  feed(runtime, core, conn, as_bytes(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  testing::FakeRuntime runtime(1, {"127.0.0.1", 6346});
  ServentConfig config;
  config.catalogue = catalogue();
  config.shared = {1, 2, 3};
  Servent servent(runtime, config);
  runtime.attach(servent);
  servent.on_start();
  ConnId good = runtime.accept(servent, {"10.0.0.1", 0});
  link_in(runtime, servent, good, {"10.0.0.1", 7000});

  feed(runtime, servent, runtime.accept(servent, {"10.0.0.2", 0}), ByteView(data, size));

  // The good neighbour's link survives, and a second one still hears its queries.
  ConnId other = runtime.accept(servent, {"10.0.0.3", 0});
  link_in(runtime, servent, other, {"10.0.0.3", 7000});
  runtime.take_sent(other);
  Guid guid{};
  guid.fill(0x5a);
  servent.on_frame(good, encode_descriptor(guid, 3, 0, Query{0, "anything", {}}).value());
  if (runtime.closed.contains(good) || runtime.take_sent(other).empty()) std::abort();
  return 0;
}

// Fuzz target for the KaZaA node: any byte stream on an inbound connection of a supernode (a session of
// KaZaA frames, or an HTTP request), and any stream from a supernode on an ordinary node's session, goes
// through the framers a runtime would use. Neither may crash, and the supernode must still end the search of
// a child that behaves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kazaa/codec.h"
#include "kazaa/node.h"
#include "tests/fuzz/core_fuzz.h"

namespace {

using namespace p2p;
using namespace p2p::kazaa;

void fuzz_supernode(ByteView input) {
  testing::FakeRuntime runtime(1, {"127.0.0.1", 1214});
  NodeConfig config;
  config.role = Role::Super;
  config.catalogue = fuzz::small_catalogue();
  KazaaNode node(runtime, config);
  runtime.attach(node);
  node.on_start();
  ConnId good = runtime.accept(node, {"10.0.0.1", 0});
  node.on_frame(good, encode(Login{"good", 6346, 100, 0, true, false}));
  const content::FileEntry& file = fuzz::small_catalogue()->file(1);
  node.on_frame(good, encode(ShareFile{file.name, file.size, {}, {}}));

  fuzz::feed_in_two_segments(runtime, node, runtime.accept(node, {"10.0.0.2", 0}), true, input);

  runtime.take_sent(good);
  node.on_frame(good, encode(Query{1, file.keywords[0], kMaxResults}));
  runtime.advance(seconds(3));  // a neighbour the input made may be asked too: its round times out
  bool ended = false;
  for (const Bytes& frame : runtime.take_sent(good)) {
    auto message = decode(frame);
    if (message && std::holds_alternative<SearchEnd>(*message)) ended = true;
  }
  if (runtime.closed.contains(good) || !ended) std::abort();
}

void fuzz_ordinary(ByteView input) {
  testing::FakeRuntime runtime(1, {"127.0.0.1", 6346});
  NodeConfig config;
  config.catalogue = fuzz::small_catalogue();
  config.shared = {1, 2};
  config.ordinary.bootstrap = {{{"10.0.0.9", 1214}, 0, 0}};
  KazaaNode node(runtime, config);
  runtime.attach(node);
  node.on_start();
  ConnId session = runtime.dialled.begin()->first;
  node.on_connected(session, false, runtime.dialled.begin()->second);
  fuzz::feed_in_two_segments(runtime, node, session, false, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_supernode(ByteView(data, size));
  fuzz_ordinary(ByteView(data, size));
  return 0;
}

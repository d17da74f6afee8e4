// Fuzz target for the Napster cores: any byte stream from a client reaches the server core, and any stream
// from a downloader reaches a peer's data port, through the framers a runtime would use; neither may crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "napster/codec.h"
#include "napster/peer.h"
#include "napster/server.h"
#include "tests/fuzz/core_fuzz.h"

using namespace p2p;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView input(data, size);
  {
    // A logged-in sharer, then the fuzzed client, then a search that must still be answered.
    testing::FakeRuntime runtime;
    napster::Server server(runtime);
    runtime.attach(server);
    ConnId sharer = runtime.accept(server, {"10.0.0.1", 0});
    server.on_frame(sharer, napster::encode(napster::Login{"sharer", "p", 6699, "c", 8}));
    server.on_frame(sharer, napster::encode(napster::ShareFile{{"blue river.mp3", {}, 10, 128, 44100, 0}}));
    fuzz::feed_in_two_segments(runtime, server, runtime.accept(server), true, input);
    server.on_frame(sharer, napster::encode(napster::SearchRequest{"blue", 10}));
    if (runtime.closed.contains(sharer)) std::abort();
  }
  {
    testing::FakeRuntime runtime;
    auto files = std::make_unique<napster::MemorySharedFiles>();
    files->add("blue river.mp3", Bytes(1000, 7));
    napster::Peer peer(runtime, napster::PeerConfig{}, std::move(files));
    runtime.attach(peer);
    fuzz::feed_in_two_segments(runtime, peer, runtime.accept(peer), true, input);
  }
  return 0;
}
